package dev.tidings.server.sse;

import java.util.ArrayList;
import java.util.List;

import dev.tidings.server.metrics.TidingsMetrics;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpContentCompressor;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.timeout.IdleStateHandler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.impl.ConnectionBase;

/**
 * One open SSE response. It owns its send queue (the connection's outbound buffer, bounded by
 * {@code tidings.sse.queue-size}) and its lifecycle; all its methods run on its event loop.
 * <p>
 * On HTTP/1.1 the event frames go to the socket as pre-encoded chunks, written just below the
 * HTTP encoder: the same bytes for every subscriber, with no per-subscriber framing. Headers and
 * the final chunk still go through the HTTP layer, which keeps its chunked state.
 */
public abstract class SseStream {

    private final HttpServerResponse response;
    /** Where pre-encoded chunks are written (HTTP/1.1 only); null when the HTTP layer frames. */
    private final ChannelHandlerContext chunkWriter;
    private final Channel channel;
    private final EventLoop loop;
    private final StreamFamily family;
    private final OpenStreams streams;
    private final List<Runnable> closeListeners = new ArrayList<>(1);
    private boolean wroteSinceHeartbeat;
    private boolean closed;

    protected SseStream(HttpServerRequest request, EventLoop loop, StreamFamily family, OpenStreams streams) {
        this.response = request.response();
        this.chunkWriter = chunkWriter(request);
        this.channel = chunkWriter == null ? null : chunkWriter.channel();
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
        if (chunkWriter != null && channel.pipeline().get(IdleStateHandler.class) != null) {
            // The connection is the stream's alone now and never idle (heartbeats); frames written
            // below the idle-timeout handler go unseen by it, so it would close a busy stream.
            channel.pipeline().remove(IdleStateHandler.class);
        }
        // Through the HTTP layer: it sends the head, and the chunks written below it follow.
        response.write(streams.retryFrame().buffer(), null);
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
    protected final boolean write(SseFrame frame) {
        if (closed) {
            return false;
        }
        if (chunkWriter != null ? !channel.isWritable() : response.writeQueueFull()) {
            streams.metrics().slowConsumerDisconnected();
            closed();
            response.close();
            return false;
        }
        if (chunkWriter != null) {
            chunkWriter.writeAndFlush(frame.chunk(), chunkWriter.voidPromise());
        } else {
            response.write(frame.buffer(), null);
        }
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

    /**
     * The HTTP encoder's place in the pipeline of a plain HTTP/1.1 connection: a write from there
     * goes to the socket without passing the encoder. Null for HTTP/2 and HTTP/1.0, and when
     * anything that rewrites bodies (compression) sits in the pipeline.
     */
    private static ChannelHandlerContext chunkWriter(HttpServerRequest request) {
        if (request.version() != HttpVersion.HTTP_1_1 || !(request.connection() instanceof ConnectionBase connection)) {
            return null;
        }
        ChannelPipeline pipeline = connection.channel().pipeline();
        if (pipeline.get(HttpContentCompressor.class) != null) {
            return null;
        }
        return pipeline.context(HttpResponseEncoder.class);
    }
}
