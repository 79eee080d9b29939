package dev.tidings.server.sse;

/** The kinds of stream, as tagged in metrics. */
public enum StreamFamily {
    EVENTS, NOTIFICATIONS, CHAT, TIMER;

    public String tag() {
        return name().toLowerCase();
    }
}
