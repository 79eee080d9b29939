package dev.tidings.server.sse;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Flow;

import jakarta.ws.rs.sse.OutboundSseEvent;

import dev.tidings.server.metrics.TidingsMetrics;
import io.smallrye.mutiny.Multi;
import io.vertx.core.http.HttpServerResponse;

/**
 * One open SSE response as a {@code Multi<OutboundSseEvent>}: it owns its bounded queue and its
 * lifecycle, and hands frames to whoever writes the response only as fast as that writer asks for
 * them (which it does as the connection takes them). A stream whose queue overflows is closed, so
 * one slow reader never holds up the others: its client reconnects and replays from history.
 * <p>
 * Everything runs on the stream's event loop; {@link #request} and {@link #cancel} hop there when
 * called from elsewhere.
 */
public abstract class SseStream implements Flow.Publisher<OutboundSseEvent>, Flow.Subscription {

    private enum State {
        OPEN, ENDING, CLOSED
    }

    private final StreamLoop loop;
    private final StreamFamily family;
    private final OpenStreams streams;
    private final HttpServerResponse response;
    private final long maxQueuedBytes;
    /** Frames that go before anything else ({@code retry:}, {@code reset}, heartbeats); null while none wait. */
    private ArrayDeque<SseFrame> first;
    /*
     * Live frames waiting for the writer, oldest first: the oldest in its own field, the rest in the
     * deque, made when a second one first waits. A stream that keeps up holds at most one, so a
     * delivery touches no deque (one cache miss less per subscriber per event) and holds none.
     */
    private SseFrame oldestQueued;
    private ArrayDeque<SseFrame> queue;
    private final List<Runnable> closeListeners = new ArrayList<>(1);
    /** Bytes of the live frames waiting; no frame is empty, so zero means none wait. */
    private long queuedBytes;
    private Flow.Subscriber<? super OutboundSseEvent> subscriber;
    /** Set when this stream's own writer writes it: it coalesces the frames of one drain. */
    private ResponseWriter responseWriter;
    private boolean flushAfterBatch;
    private long demand;
    private boolean draining;
    private long lastWriteTick;
    private State state = State.OPEN;

    protected SseStream(StreamLoop loop, StreamFamily family, OpenStreams streams, HttpServerResponse response) {
        this.loop = loop;
        this.family = family;
        this.streams = streams;
        this.response = response;
        this.maxQueuedBytes = streams.config().queueSize().asLongValue();
        this.lastWriteTick = loop.ticks();
        addFirst(streams.retryFrame());
        // Until a writer subscribes, a closed connection is noticed here; the writer takes over.
        response.closeHandler(ignored -> cancel());
    }

    /** This stream for Quarkus REST to write: what a resource method returns. */
    public Multi<OutboundSseEvent> multi() {
        return Multi.createFrom().publisher(this);
    }

    /** Writes this stream to {@code response} with the shared encoded bytes of each frame. */
    public void writeTo(HttpServerResponse response) {
        responseWriter = new ResponseWriter(response, maxQueuedBytes);
        subscribe(responseWriter);
    }

    StreamLoop loop() {
        return loop;
    }

    StreamFamily family() {
        return family;
    }

    protected TidingsMetrics metrics() {
        return streams.metrics();
    }

    /** Runs {@code listener} when this stream closes, or at once when it already has. */
    public void onClose(Runnable listener) {
        if (state == State.CLOSED) {
            listener.run();
        } else {
            closeListeners.add(listener);
        }
    }

    public boolean isClosed() {
        return state == State.CLOSED;
    }

    @Override
    public void subscribe(Flow.Subscriber<? super OutboundSseEvent> writer) {
        if (subscriber != null) {
            throw new IllegalStateException("An SSE stream has one writer");
        }
        subscriber = writer;
        writer.onSubscribe(this);
        if (state == State.CLOSED) {
            writer.onComplete();
        }
    }

    @Override
    public void request(long n) {
        if (!loop.inLoop()) {
            loop.execute(() -> request(n));
            return;
        }
        demand = n <= 0 || demand + n < 0 ? Long.MAX_VALUE : demand + n;
        drain();
    }

    /** The writer went away: the client closed the connection. */
    @Override
    public void cancel() {
        if (!loop.inLoop()) {
            loop.execute(this::cancel);
            return;
        }
        if (state != State.CLOSED) {
            metrics().clientDisconnected();
            closed();
        }
    }

    /**
     * Queues a live frame and hands it to the writer. When the queue would pass its bound the
     * stream is closed instead.
     *
     * @return whether the frame was taken
     */
    protected final boolean send(SseFrame frame) {
        return send(frame, false);
    }

    /**
     * As {@link #send(SseFrame)}; when {@code moreFollow} in the loop's running batch, the frame
     * waits for the batch's end, or for a frame sent without it, and goes out with the others.
     */
    protected final boolean send(SseFrame frame, boolean moreFollow) {
        if (state != State.OPEN) {
            return false;
        }
        int size = frame.size();
        if (queuedBytes + size > maxQueuedBytes && queuedBytes > 0) {
            // Dropped: the oldest, the rest queued behind it, and this one.
            closeAsSlow(1 + (queue == null ? 0 : queue.size()) + 1);
            return false;
        }
        if (queuedBytes == 0) {
            oldestQueued = frame;
        } else {
            if (queue == null) {
                queue = new ArrayDeque<>();
            }
            queue.add(frame);
        }
        queuedBytes += size;
        if (!moreFollow || !loop.batching()) {
            drain();
        } else if (!flushAfterBatch) {
            flushAfterBatch = true;
            loop.flushAfterBatch(this);
        }
        return true;
    }

    /** Hands what the batch queued to the writer. */
    final void flush() {
        flushAfterBatch = false;
        drain();
    }

    /** Queues a frame to go before any other not yet written. */
    protected final void sendFirst(SseFrame frame) {
        if (state == State.OPEN) {
            addFirst(frame);
            drain();
        }
    }

    private void addFirst(SseFrame frame) {
        if (first == null) {
            first = new ArrayDeque<>(2);
        }
        first.add(frame);
    }

    /** Hands waiting frames to the writer again, after the replay source changed. */
    protected final void resume() {
        drain();
    }

    /** Whether live frames are held back (a resuming stream waits for its replay). */
    protected boolean holdingLive() {
        return false;
    }

    /** The next replayed frame, generated as the writer asks for it; null when there is none. */
    protected SseFrame nextReplayed() {
        return null;
    }

    /** Whether a queued live frame still goes out (a resuming stream skips what it replayed). */
    protected boolean admits(SseFrame frame) {
        return true;
    }

    /** Sends a heartbeat comment when the stream has been silent long enough at heartbeat tick {@code tick}. */
    final void heartbeatIfDue(long tick) {
        if (state == State.OPEN && HeartbeatSchedule.isDue(lastWriteTick, tick) && first == null && queuedBytes == 0) {
            sendFirst(loop.heartbeatFrame());
            // Queued behind a writer that takes nothing: the connection is busy, not idle.
            lastWriteTick = loop.ticks();
        }
    }

    /** As {@link #end()}, telling the client first to reconnect after {@code retry} (a {@code retry:} frame). */
    final void end(SseFrame retry) {
        if (state == State.OPEN) {
            sendFirst(retry);
            end();
        }
    }

    /**
     * Ends the response cleanly once what is queued has been written, so the client reconnects (to
     * another replica) and resumes.
     */
    public final void end() {
        if (state == State.OPEN) {
            state = State.ENDING;
            drain();
        }
    }

    private void drain() {
        if (draining || subscriber == null) {
            return;
        }
        draining = true;
        try {
            boolean exhausted = false;
            while (demand > 0 && state != State.CLOSED) {
                SseFrame frame = next();
                if (frame == null) {
                    exhausted = true;
                    break;
                }
                demand--;
                lastWriteTick = loop.ticks();
                subscriber.onNext(frame);
            }
            if (responseWriter != null) {
                responseWriter.flush();
            }
            if (state == State.ENDING && exhausted && !holdingLive()) {
                closed();
                subscriber.onComplete();
            }
        } finally {
            draining = false;
        }
    }

    private SseFrame next() {
        if (first != null) {
            SseFrame frame = first.poll();
            if (first.isEmpty()) {
                first = null;
            }
            return frame;
        }
        if (holdingLive()) {
            return null;
        }
        SseFrame frame = nextReplayed();
        if (frame != null) {
            return frame;
        }
        while ((frame = oldestQueued) != null) {
            queuedBytes -= frame.size();
            oldestQueued = queuedBytes > 0 ? queue.poll() : null;
            if (admits(frame)) {
                return frame;
            }
        }
        return null;
    }

    private void closeAsSlow(int framesDropped) {
        metrics().slowConsumerDisconnected(framesDropped);
        closed();
        // HTTP/1.1: the connection is closed; HTTP/2: only this stream is reset.
        response.reset();
    }

    private void closed() {
        if (state == State.CLOSED) {
            return;
        }
        state = State.CLOSED;
        first = null;
        oldestQueued = null;
        queue = null;
        queuedBytes = 0;
        streams.unregister(this);
        closeListeners.forEach(Runnable::run);
    }
}
