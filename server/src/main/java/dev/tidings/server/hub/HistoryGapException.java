package dev.tidings.server.hub;

/** An {@code after} id that the retained history no longer (or never) held. */
public class HistoryGapException extends RuntimeException {

    public HistoryGapException(String afterId) {
        super("Event id '" + afterId + "' is not in the retained history; read again without 'after'");
    }
}
