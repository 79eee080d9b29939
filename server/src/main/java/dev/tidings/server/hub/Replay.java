package dev.tidings.server.hub;

import java.util.List;

/**
 * What a reconnecting subscriber missed: the retained events after its last id, or a gap when
 * that id is unknown or older than the retained history.
 */
public record Replay(boolean gap, List<Event> events) {

    public static Replay ofGap() {
        return new Replay(true, List.of());
    }

    public static Replay of(List<Event> events) {
        return new Replay(false, events);
    }
}
