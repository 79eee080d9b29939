package dev.tidings.server.hub;

import java.time.Instant;

import dev.tidings.server.sse.SseEncoder;
import dev.tidings.server.sse.SseFrame;

/**
 * One published event. Its JSON envelope and its SSE frame are built once, here, and the same
 * bytes are written to every subscriber and every history reader.
 */
public final class Event {

    private final EventId id;
    private final String idText;
    private final String topic;
    private final String type;
    private final Instant time;
    private final String envelope;
    private final SseFrame frame;

    /**
     * @param data compact JSON (one line); topic and type already validated, so none of the
     *        strings needs JSON escaping.
     */
    public Event(EventId id, String topic, String type, Instant time, String data) {
        this.id = id;
        this.idText = id.toString();
        this.topic = topic;
        this.type = type;
        this.time = time;
        this.envelope = "{\"id\":\"" + idText + "\",\"topic\":\"" + topic + "\",\"type\":\"" + type
                + "\",\"time\":\"" + time + "\",\"data\":" + data + "}";
        this.frame = SseEncoder.event(idText, type, envelope);
    }

    public EventId id() {
        return id;
    }

    public String idText() {
        return idText;
    }

    public String topic() {
        return topic;
    }

    public String type() {
        return type;
    }

    public Instant time() {
        return time;
    }

    /** {@code {"id","topic","type","time","data"}} as compact JSON. */
    public String envelope() {
        return envelope;
    }

    /** The complete SSE frame, shared by every subscriber: never modify it. */
    public SseFrame frame() {
        return frame;
    }
}
