package dev.tidings.server.hub;

import java.util.List;

/**
 * What a reconnecting subscriber missed: the retained events after its last id, or a reset with
 * its reason when those events cannot be replayed (the id is unknown or older than the retained
 * history, or more events were missed than a replay may carry).
 *
 * @param resetReason null unless this is a reset
 */
public record Replay(String resetReason, List<Event> events) {

    public static final String HISTORY_GAP = "history-gap";
    public static final String TOO_MANY_MISSED = "too-many-missed";

    public static Replay of(List<Event> events) {
        return new Replay(null, events);
    }

    /** The id is unknown or older than the retained history. */
    public static Replay gap() {
        return new Replay(HISTORY_GAP, List.of());
    }

    /** More events were missed than the replay may carry. */
    public static Replay tooMany() {
        return new Replay(TOO_MANY_MISSED, List.of());
    }

    public boolean isReset() {
        return resetReason != null;
    }
}
