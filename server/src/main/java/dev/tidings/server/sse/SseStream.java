package dev.tidings.server.sse;

import java.util.ArrayList;
import java.util.List;

import dev.tidings.server.metrics.TidingsMetrics;
import io.netty.channel.EventLoop;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;

/**
 * One open SSE response. It owns its send queue (the connection's outbound buffer, bounded by
 * {@code tidings.sse.queue-size}) and its lifecycle; all its methods run on its event loop.
 */
public abstract class SseStream {

    private final HttpServerResponse response;
    private final EventLoop loop;
    private final StreamFamily family;
    private final OpenStreams streams;
    private final List<Runnable> closeListeners = new ArrayList<>(1);
    private boolean wroteSinceHeartbeat;
    private boolean closed;

    protected SseStream(HttpServerResponse response, EventLoop loop, StreamFamily family, OpenStreams streams) {
        this.response = response;
        this.loop = loop;
        this.family = family;
        this.streams = streams;
    }

    public EventLoop eventLoop() {
        return loop;
    }

    StreamFamily family() {
        return family;
    }

    protected TidingsMetrics metrics() {
        return streams.metrics();
    }

    /** Sends the headers and the {@code retry:} field at once, before any event exists. */
    final void open() {
        response.setStatusCode(200)
                .setChunked(true)
                .putHeader("Content-Type", "text/event-stream")
                .putHeader("Cache-Control", "no-cache")
                .putHeader("X-Accel-Buffering", "no")
                .setWriteQueueMaxSize((int) Math.min(Integer.MAX_VALUE, streams.config().queueSize().asLongValue()));
        response.closeHandler(ignored -> closed());
        response.exceptionHandler(ignored -> closed());
        response.write(streams.retryFrame(), null);
        wroteSinceHeartbeat = true;
    }

    public void onClose(Runnable listener) {
        closeListeners.add(listener);
    }

    public boolean isClosed() {
        return closed;
    }

    /**
     * Queues a frame; when the queue is already over its bound the stream is closed instead, so
     * one slow reader never holds up the others: its client reconnects and replays from history.
     */
    protected final boolean write(Buffer frame) {
        if (closed) {
            return false;
        }
        if (response.writeQueueFull()) {
            streams.metrics().slowConsumerDisconnected();
            closed();
            response.close();
            return false;
        }
        response.write(frame, null);
        wroteSinceHeartbeat = true;
        return true;
    }

    /** Sends a heartbeat comment when nothing else was written since the previous call. */
    final void heartbeat() {
        if (!wroteSinceHeartbeat) {
            write(SseEncoder.HEARTBEAT);
        }
        wroteSinceHeartbeat = false;
    }

    /** Ends the response cleanly, so the client reconnects (to another replica) and resumes. */
    public final void end() {
        if (!closed) {
            closed();
            response.end();
        }
    }

    private void closed() {
        if (closed) {
            return;
        }
        closed = true;
        streams.unregister(this);
        closeListeners.forEach(Runnable::run);
    }
}
