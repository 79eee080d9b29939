package dev.tidings.server.sse;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executor;

import dev.tidings.server.hub.Event;
import io.vertx.core.Context;

/**
 * The streams of one event loop and what they share: the executor the hub fans out through, one
 * heartbeat timer, and the frame of the event being fanned out, encoded once for all of them.
 * A task run through {@link #execute} is a batch: frames it queues on streams with more to follow
 * are handed to their writers when it ends, so a stream that got several events in one batch
 * writes them at once, and one that got a single event writes it at once.
 * Touched only on its loop, except {@link #execute}.
 */
final class StreamLoop implements Executor {

    private final Context context;
    private final Thread thread;
    private final Set<SseStream> streams = new HashSet<>();
    private final List<SseStream> toFlush = new ArrayList<>();
    private boolean batching;
    private long ticks;
    private Event lastEvent;
    private SseFrame lastFrame;
    private final SseFrame heartbeatFrame = SseEncoder.heartbeat();

    /** Must be created on the loop's thread, from a context of that loop. */
    StreamLoop(Context context, Duration heartbeat) {
        this.context = context;
        this.thread = Thread.currentThread();
        context.owner().setPeriodic(HeartbeatSchedule.tickMillis(heartbeat), id -> heartbeat());
    }

    @Override
    public void execute(Runnable task) {
        context.runOnContext(ignored -> runBatch(task));
    }

    private void runBatch(Runnable task) {
        batching = true;
        try {
            task.run();
        } finally {
            batching = false;
            for (int i = 0; i < toFlush.size(); i++) {
                toFlush.get(i).flush();
            }
            toFlush.clear();
        }
    }

    /** Whether frames queued now with more to follow can wait for the end of the running batch. */
    boolean batching() {
        return batching;
    }

    /** {@code stream} has frames queued in this batch; it is flushed once when the batch ends. */
    void flushAfterBatch(SseStream stream) {
        toFlush.add(stream);
    }

    boolean inLoop() {
        return Thread.currentThread() == thread;
    }

    /** Heartbeat ticks so far: a stream notes it when it writes. */
    long ticks() {
        return ticks;
    }

    /** The heartbeat comment every idle stream of the loop is sent. */
    SseFrame heartbeatFrame() {
        return heartbeatFrame;
    }

    /** The frame of {@code event}, encoded once while the loop hands it to each of its streams. */
    SseFrame frame(Event event) {
        if (event != lastEvent) {
            lastFrame = SseEncoder.sharedEvent(event);
            lastEvent = event;
        }
        return lastFrame;
    }

    void add(SseStream stream) {
        streams.add(stream);
    }

    boolean remove(SseStream stream) {
        return streams.remove(stream);
    }

    /** Ends every stream of the loop cleanly, each told {@code retry} last, then runs {@code ended}. */
    void endAll(SseFrame retry, Runnable ended) {
        execute(() -> {
            snapshot().forEach(stream -> stream.end(retry));
            ended.run();
        });
    }

    private void heartbeat() {
        ticks++;
        // Copy: a heartbeat into a full queue closes that stream, which removes it.
        for (SseStream stream : snapshot()) {
            stream.heartbeatIfDue(ticks);
        }
    }

    private List<SseStream> snapshot() {
        return new ArrayList<>(streams);
    }
}
