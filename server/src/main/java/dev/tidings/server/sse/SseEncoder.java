package dev.tidings.server.sse;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import jakarta.ws.rs.sse.SseEvent;

import com.fasterxml.jackson.core.io.JsonStringEncoder;

import dev.tidings.server.hub.Event;
import dev.tidings.server.hub.EventId;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;

/**
 * The one place that turns what a stream sends into SSE frames. Every field is checked for CR and
 * LF, so no value, whatever its origin, can end a line early and forge a field or an event.
 */
public final class SseEncoder {

    private SseEncoder() {
    }

    /** The frame of a hub event for one stream (a replay): its id (none on a signal), its type, its envelope as data. */
    public static SseFrame event(Event event) {
        return event(event, false);
    }

    /** As {@link #event(Event)}, for the many streams of an event loop: its bytes are off-heap. */
    static SseFrame sharedEvent(Event event) {
        return event(event, true);
    }

    private static SseFrame event(Event event, boolean shared) {
        return frame(event.idText(), singleLine(event.type()), singleLine(new String(event.envelope(), StandardCharsets.UTF_8)),
                null, SseEvent.RECONNECT_NOT_SET, event.id(), shared);
    }

    /** A frame of the server's own, such as a timer tick; {@code data} is one line of JSON. */
    public static SseFrame event(String id, String type, String data) {
        return frame(id == null ? null : singleLine(id), singleLine(type), singleLine(data), null,
                SseEvent.RECONNECT_NOT_SET, null, false);
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
        return frame(null, null, null, "hb", SseEvent.RECONNECT_NOT_SET, null, true);
    }

    public static SseFrame retry(Duration delay) {
        return frame(null, null, null, null, delay.toMillis(), null, true);
    }

    /**
     * Fields already checked; writes them in the order and form of the SSE format.
     *
     * @param shared whether many streams write the frame: then its bytes are {@linkplain #offHeap off-heap}
     */
    private static SseFrame frame(String id, String name, String data, String comment, long retry, EventId eventId,
            boolean shared) {
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
        byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
        return new SseFrame(id, name, data, comment, retry, eventId, shared ? offHeap(bytes) : Buffer.buffer(bytes));
    }

    /**
     * Bytes in direct memory: the socket writes them as they are, where bytes on the heap would be
     * copied into a direct buffer on every write, once per subscriber. The memory is the
     * JDK's, freed when the last stream and write holding the frame let go of it; writes take
     * unreleasable views, so no write can free it early.
     */
    private static Buffer offHeap(byte[] bytes) {
        return Buffer.buffer(Unpooled.wrappedBuffer(ByteBuffer.allocateDirect(bytes.length).put(bytes).flip()));
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
