package dev.tidings.server.sse;

import java.lang.reflect.Type;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.SseEvent;

import dev.tidings.server.hub.EventId;
import io.vertx.core.buffer.Buffer;

/**
 * One SSE frame, its fields checked by {@link SseEncoder}: what a stream queues and hands to the
 * HTTP layer, as an {@link OutboundSseEvent} for Quarkus REST and as encoded bytes for
 * {@link ResponseWriter}. Immutable; the frame of a hub event is built once per event loop and
 * shared by every stream of that loop.
 */
public final class SseFrame implements OutboundSseEvent {

    private final String id;
    private final String name;
    private final String data;
    private final String comment;
    private final long reconnectDelay;
    private final EventId eventId;
    private final Buffer bytes;

    SseFrame(String id, String name, String data, String comment, long reconnectDelay, EventId eventId, Buffer bytes) {
        this.id = id;
        this.name = name;
        this.data = data;
        this.comment = comment;
        this.reconnectDelay = reconnectDelay;
        this.eventId = eventId;
        this.bytes = bytes;
    }

    /** The frame as it goes on the wire; shared, never modified (each write takes its own view). */
    Buffer bytes() {
        return bytes;
    }

    /** The hub event's id, to keep a stream's events in order; null for other frames. */
    EventId eventId() {
        return eventId;
    }

    /** Bytes on the wire, for bounding a stream's queue. */
    int size() {
        return bytes.length();
    }

    @Override
    public String getId() {
        return id;
    }

    @Override
    public String getName() {
        return name;
    }

    @Override
    public String getComment() {
        return comment;
    }

    @Override
    public long getReconnectDelay() {
        return reconnectDelay;
    }

    @Override
    public boolean isReconnectDelaySet() {
        return reconnectDelay != SseEvent.RECONNECT_NOT_SET;
    }

    @Override
    public Class<?> getType() {
        return String.class;
    }

    @Override
    public Type getGenericType() {
        return String.class;
    }

    @Override
    public MediaType getMediaType() {
        return MediaType.TEXT_PLAIN_TYPE;
    }

    @Override
    public Object getData() {
        return data;
    }

    @Override
    public String toString() {
        return "SseFrame[id=" + id + ", event=" + name + ", comment=" + comment + "]";
    }
}
