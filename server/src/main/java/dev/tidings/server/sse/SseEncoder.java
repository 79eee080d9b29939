package dev.tidings.server.sse;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import jakarta.ws.rs.sse.SseEvent;

import com.fasterxml.jackson.core.io.JsonStringEncoder;

import dev.tidings.server.hub.Event;
import dev.tidings.server.hub.EventId;
import io.vertx.core.buffer.Buffer;

/**
 * The one place that turns what a stream sends into SSE frames. Every field is checked for CR and
 * LF, so no value, whatever its origin, can end a line early and forge a field or an event.
 */
public final class SseEncoder {

    private SseEncoder() {
    }

    /** The frame of a hub event: its id (none on a signal), its type, its envelope as data. */
    public static SseFrame event(Event event) {
        return frame(event.idText(), singleLine(event.type()), singleLine(new String(event.envelope(), StandardCharsets.UTF_8)),
                null, SseEvent.RECONNECT_NOT_SET, event.id());
    }

    /** A frame of the server's own, such as a timer tick; {@code data} is one line of JSON. */
    public static SseFrame event(String id, String type, String data) {
        return frame(id == null ? null : singleLine(id), singleLine(type), singleLine(data), null,
                SseEvent.RECONNECT_NOT_SET, null);
    }

    /** {@code event: reset}: the stream cannot replay what the client missed since {@code lastEventId}. */
    public static SseFrame reset(String reason, String lastEventId) {
        String quotedId = new String(JsonStringEncoder.getInstance().quoteAsString(lastEventId));
        return event(null, "reset", "{\"reason\":\"" + reason + "\",\"lastEventId\":\"" + quotedId + "\"}");
    }

    /**
     * The comment sent on an idle stream so proxies and clients see it is alive. Made at run time
     * (one per event loop): a native image may not hold the direct buffer of a frame made while it is built.
     */
    static SseFrame heartbeat() {
        return frame(null, null, null, "hb", SseEvent.RECONNECT_NOT_SET, null);
    }

    public static SseFrame retry(Duration delay) {
        return frame(null, null, null, null, delay.toMillis(), null);
    }

    /** Fields already checked; writes them in the order and form of the SSE format. */
    private static SseFrame frame(String id, String name, String data, String comment, long retry, EventId eventId) {
        StringBuilder text = new StringBuilder(64 + (data == null ? 0 : data.length()));
        if (comment != null) {
            text.append(": ").append(comment).append('\n');
        }
        if (retry != SseEvent.RECONNECT_NOT_SET) {
            text.append("retry: ").append(retry).append('\n');
        }
        if (id != null) {
            text.append("id: ").append(id).append('\n');
        }
        if (name != null) {
            text.append("event: ").append(name).append('\n');
        }
        if (data != null) {
            text.append("data: ").append(data).append('\n');
        }
        text.append('\n');
        return new SseFrame(id, name, data, comment, retry, eventId,
                Buffer.buffer(text.toString().getBytes(StandardCharsets.UTF_8)));
    }

    private static String singleLine(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\n' || c == '\r') {
                throw new IllegalArgumentException("SSE field value contains a line break");
            }
        }
        return value;
    }
}
