package dev.tidings.server.hub;

/** Where the notification and chat families live in the topic space. */
public final class TopicFamilies {

    private TopicFamilies() {
    }

    /** @throws InvalidTopicException unless {@code room} is one topic segment */
    public static String chat(String room) {
        return "chat/" + requireSegment(room, "room");
    }

    /** @throws InvalidTopicException unless {@code channel} is one topic segment */
    public static String notifications(String channel) {
        return "notifications/" + requireSegment(channel, "channel");
    }

    /** Notification channels may be given as {@code *} to mean all of them. */
    public static String notificationsPattern(String channel) {
        return "*".equals(channel) ? "notifications/*" : notifications(channel);
    }

    private static String requireSegment(String name, String what) {
        if (!TopicPattern.isSegment(name)) {
            throw new InvalidTopicException(name, "a " + what + " is one segment of A-Z a-z 0-9 . _ ~ -");
        }
        return name;
    }
}
