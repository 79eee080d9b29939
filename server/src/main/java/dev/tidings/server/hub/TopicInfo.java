package dev.tidings.server.hub;

/** An active topic: its subscriber count on this replica and its newest retained event id. */
public record TopicInfo(String topic, int subscribers, String lastEventId) {
}
