package dev.tidings.server.bus;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import dev.tidings.server.hub.Event;
import dev.tidings.server.hub.EventId;
import io.vertx.redis.client.Response;

/**
 * One entry of the events stream: an event and the id of the entry before it (empty for the first
 * entry of a history). The event's time is its id's milliseconds: Redis's clock, the same for
 * every replica.
 */
record StreamEntry(String id, String previous, Event event) {

    /** Whether this entry continues the history right after {@code id}. */
    boolean follows(String id) {
        return previous.equals(id);
    }

    /** The entries of an {@code XRANGE}, {@code XREVRANGE} or one stream of an {@code XREAD} answer. */
    static List<StreamEntry> all(Response entries) {
        List<StreamEntry> all = new ArrayList<>(entries == null ? 0 : entries.size());
        if (entries != null) {
            for (Response entry : entries) {
                all.add(of(entry));
            }
        }
        return all;
    }

    /** {@code [id, [field, value, …]]}; an entry missing a field (not written by Tidings) carries no event. */
    static StreamEntry of(Response entry) {
        String id = entry.get(0).toString();
        Response fields = entry.get(1);
        String topic = null;
        String type = null;
        String data = null;
        String previous = "";
        for (int i = 0; i + 1 < fields.size(); i += 2) {
            String value = fields.get(i + 1).toString();
            switch (fields.get(i).toString()) {
                case RedisKeys.TOPIC -> topic = value;
                case RedisKeys.TYPE -> type = value;
                case RedisKeys.DATA -> data = value;
                case RedisKeys.PREVIOUS -> previous = value;
                default -> {
                }
            }
        }
        Event event = topic == null || type == null || data == null ? null : event(id, topic, type, data);
        return new StreamEntry(id, previous, event);
    }

    /** The event stored under stream id {@code id}. */
    static Event event(String id, String topic, String type, String data) {
        EventId eventId = EventId.parse(id).orElseThrow(() -> new IllegalStateException("Not a stream id: " + id));
        return new Event(eventId, topic, type, Instant.ofEpochMilli(eventId.millis()), data);
    }
}
