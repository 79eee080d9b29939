package dev.tidings.server.hub;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * One event, transport-neutral: its fields and its JSON envelope, built once and held once as
 * UTF-8 bytes. Transports frame the envelope their own way (the {@code sse} package as an SSE
 * frame). A <em>signal</em> has no id: current state such as a room's member count, delivered to
 * live subscribers and never stored in history.
 */
public final class Event {

    private final EventId id;
    private final String idText;
    private final String topic;
    private final String type;
    private final Instant time;
    private final byte[] envelope;

    /**
     * @param id null for a signal
     * @param data compact JSON (one line); topic and type already validated, so none of the
     *        strings needs JSON escaping.
     */
    public Event(EventId id, String topic, String type, Instant time, String data) {
        this.id = id;
        this.idText = id == null ? null : id.toString();
        this.topic = topic;
        this.type = type;
        this.time = time;
        String idField = id == null ? "" : "\"id\":\"" + idText + "\",";
        this.envelope = ("{" + idField + "\"topic\":\"" + topic + "\",\"type\":\"" + type + "\",\"time\":\"" + time
                + "\",\"data\":" + data + "}").getBytes(StandardCharsets.UTF_8);
    }

    /** A signal: current state for live subscribers, with no id and no place in history. */
    public static Event signal(String topic, String type, Instant time, String data) {
        return new Event(null, topic, type, time, data);
    }

    /** Null for a signal. */
    public EventId id() {
        return id;
    }

    /** Null for a signal. */
    public String idText() {
        return idText;
    }

    public boolean isSignal() {
        return id == null;
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

    /**
     * {@code {"id","topic","type","time","data"}} as compact UTF-8 JSON ({@code id} left out on a
     * signal). Shared: never modify it.
     */
    public byte[] envelope() {
        return envelope;
    }

    /** Bytes this event holds: what history counts against its byte bound. */
    public int size() {
        return envelope.length;
    }
}
