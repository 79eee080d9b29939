package dev.tidings.server.hub;

import java.util.List;

/**
 * One page of a topic's retained history, oldest first.
 *
 * @param more whether further events of that topic follow the last one of this page
 */
public record HistoryPage(List<Event> events, boolean more) {
}
