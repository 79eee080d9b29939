package dev.tidings.client;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Objects;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One event received on a subscription.
 *
 * <p>Topic events carry the server's envelope, {@code {"id","topic","type","time","data"}}: the
 * accessors read it, and {@link #data()} is the publisher's JSON. Events of other streams (timer
 * ticks) and the {@code reset} gap signal have no envelope: {@link #topic()} is null and
 * {@link #data()} is the frame's whole data.
 */
public final class TidingsEvent {

    /** The event type of the gap signal: the stream could not resume from the last id seen. */
    public static final String RESET = "reset";

    private final String id;
    private final String topic;
    private final String type;
    private final Instant time;
    private final String data;

    public TidingsEvent(String id, String topic, String type, Instant time, String data) {
        this.id = id;
        this.topic = topic;
        this.type = Objects.requireNonNull(type, "type");
        this.time = time;
        this.data = Objects.requireNonNull(data, "data");
    }

    /**
     * Builds the event from an SSE frame.
     *
     * @param id the frame's last event id, or null/empty when it has none
     */
    static TidingsEvent fromFrame(String type, String frameData, String id) {
        String frameId = id == null || id.isEmpty() ? null : id;
        JsonNode node = frameData.startsWith("{") ? Json.tree(frameData) : null;
        if (node != null && node.isObject() && node.has("data") && node.path("topic").isTextual()
                && node.path("type").isTextual()) {
            // An envelope without an id is a signal (current state such as presence): it has no
            // place in the id order, so it is never taken for a duplicate of the previous event.
            String envelopeId = node.path("id").isTextual() ? node.get("id").asText() : null;
            return new TidingsEvent(envelopeId, node.get("topic").asText(), node.get("type").asText(),
                    instant(node.path("time").asText(null)), node.get("data").toString());
        }
        Instant time = node != null && node.path("time").isTextual() ? instant(node.get("time").asText()) : null;
        return new TidingsEvent(RESET.equals(type) ? null : frameId, null, type, time, frameData);
    }

    /** The event id ({@code <millis>-<seq>}, or the tick number on a timer); null on a gap signal. */
    public String id() {
        return id;
    }

    /** The topic it was published to; null for timer ticks and gap signals. */
    public String topic() {
        return topic;
    }

    /** The event type: {@code message}, {@code notification}, {@code presence}, {@code tick}, {@code reset}… */
    public String type() {
        return type;
    }

    /** When it was published (for ticks, when the tick was sent); null if unknown. */
    public Instant time() {
        return time;
    }

    /** The payload as compact JSON text. */
    public String data() {
        return data;
    }

    /** The payload read with Jackson into {@code type}; unknown properties are ignored. */
    public <T> T data(Class<T> type) {
        return Json.read(data, type);
    }

    /**
     * True for the {@code reset} signal: the server could not resume from the last id this
     * client saw (unknown, or older than its history, for instance after a restart), so events
     * may have been missed. Live events follow it.
     */
    public boolean isGap() {
        return RESET.equals(type) && topic == null;
    }

    @Override
    public String toString() {
        String shown = data.length() > 120 ? data.substring(0, 120) + "…" : data;
        return "TidingsEvent[id=" + id + ", topic=" + topic + ", type=" + type + ", time=" + time + ", data=" + shown
                + "]";
    }

    private static Instant instant(String text) {
        if (text == null) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
