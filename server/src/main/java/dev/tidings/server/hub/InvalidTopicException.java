package dev.tidings.server.hub;

/** A topic name or pattern that breaks the naming rules. */
public class InvalidTopicException extends IllegalArgumentException {

    public InvalidTopicException(String topic, String rule) {
        super("Invalid topic '" + abbreviate(topic) + "': " + rule);
    }

    private static String abbreviate(String topic) {
        if (topic == null) {
            return "";
        }
        return topic.length() > 80 ? topic.substring(0, 80) + "…" : topic;
    }
}
