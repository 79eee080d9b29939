package dev.tidings.server.hub;

import java.util.Set;
import java.util.regex.Pattern;

/** Event type names: what a publisher may use, and the server's own. */
public final class EventTypes {

    public static final String DEFAULT = "message";
    public static final String NOTIFICATION = "notification";
    /** Types only the server sends: reset (history gap), presence (chat members), tick (timer). */
    public static final Set<String> RESERVED = Set.of("reset", Presence.TYPE, "tick");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private EventTypes() {
    }

    /** @return null when {@code type} is one a publisher may use, else why not */
    public static String whyNotPublishable(String type) {
        if (!NAME.matcher(type).matches()) {
            return "an event type is 1 to 64 characters of A-Z a-z 0-9 . _ -";
        }
        if (RESERVED.contains(type)) {
            return "event type '" + type + "' is reserved for the server";
        }
        return null;
    }
}
