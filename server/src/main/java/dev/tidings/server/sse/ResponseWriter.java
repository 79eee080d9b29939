package dev.tidings.server.sse;

import java.util.concurrent.Flow;

import jakarta.ws.rs.sse.OutboundSseEvent;

import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;

/**
 * Writes a stream's frames to a Vert.x response as their shared encoded bytes, through the public
 * response API, so HTTP/1.1, HTTP/2 and compression all take the same path. It asks for the next
 * frame only while the connection takes more (checked every {@value #BYTES_PER_WRITABILITY_CHECK}
 * bytes), and again when it drains: a stream is paced by its reader. Frames handed over together
 * (one drain of the stream) go out as one write: one system call instead of one per frame when a
 * subscriber is behind or a batch brought several. The write is a composite of the frames' own
 * buffers, not a copy: a fan-out's shared off-heap frames reach the socket without being copied.
 */
final class ResponseWriter implements Flow.Subscriber<OutboundSseEvent> {

    /** Largest coalesced write; a replay goes out in writes of about this size. */
    private static final int MAX_WRITE = 64 * 1024;
    /** Most frames in one write: each is an entry of the write's I/O vector, which the kernel bounds. */
    private static final int MAX_FRAMES_PER_WRITE = 256;
    /**
     * Bytes taken between two questions to the connection whether it takes more: asking costs a lock
     * and a walk to the channel for every frame, so a stream that keeps up asks once per this many
     * bytes, and a stalled one goes at most this far past the connection's bound.
     */
    private static final int BYTES_PER_WRITABILITY_CHECK = 16 * 1024;

    private final HttpServerResponse response;
    private Flow.Subscription subscription;
    /** Bytes not yet written: one frame's shared bytes, or several frames' bytes side by side. */
    private Buffer pending;
    private CompositeByteBuf pendingFrames;
    private int takenSinceCheck;

    ResponseWriter(HttpServerResponse response, long maxBufferedBytes) {
        this.response = response;
        response.setStatusCode(200)
                .setChunked(true)
                .putHeader("Content-Type", "text/event-stream")
                .setWriteQueueMaxSize((int) Math.min(Integer.MAX_VALUE, maxBufferedBytes));
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
        this.subscription = subscription;
        response.closeHandler(ignored -> subscription.cancel());
        response.drainHandler(ignored -> subscription.request(1));
        subscription.request(1);
    }

    @Override
    public void onNext(OutboundSseEvent frame) {
        Buffer bytes = ((SseFrame) frame).bytes();
        if (pending == null) {
            pending = bytes;
        } else {
            if (pendingFrames == null) {
                pendingFrames = Unpooled.compositeBuffer(MAX_FRAMES_PER_WRITE).addComponent(true, pending.getByteBuf());
                pending = Buffer.buffer(pendingFrames);
            }
            pendingFrames.addComponent(true, bytes.getByteBuf());
        }
        if (pending.length() >= MAX_WRITE || pendingFrames != null && pendingFrames.numComponents() == MAX_FRAMES_PER_WRITE) {
            flush();
        }
        takenSinceCheck += bytes.length();
        if (takenSinceCheck >= BYTES_PER_WRITABILITY_CHECK) {
            takenSinceCheck = 0;
            if (response.writeQueueFull()) {
                return;
            }
        }
        subscription.request(1);
    }

    /** Writes what was handed over since the last flush. */
    void flush() {
        if (pending != null) {
            response.write(pending, null);
            pending = null;
            pendingFrames = null;
        }
    }

    @Override
    public void onComplete() {
        flush();
        response.end();
    }

    @Override
    public void onError(Throwable failure) {
        response.reset();
    }
}
