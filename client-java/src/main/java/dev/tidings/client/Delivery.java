package dev.tidings.client;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Hands one subscription's signals to its consumer, one at a time and in order, on the delivery
 * executor. Events wait for demand; the connection stops reading while {@code capacity} events
 * are waiting and resumes once half of them are delivered, so a slow consumer slows the socket
 * rather than filling the heap.
 */
final class Delivery {

    /** The consumer: a listener, or the subscriber of a {@code Multi}. */
    interface Target {
        void onEvent(TidingsEvent event);

        void onStateChange(ConnectionStateChange change);

        void onComplete();

        void onError(Throwable failure);
    }

    private static final System.Logger LOG = System.getLogger(Delivery.class.getName());

    private final Executor executor;
    private final Target target;
    private final int capacity;
    private final Queue<Object> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queuedEvents = new AtomicInteger();
    private final AtomicLong demand = new AtomicLong();
    private final AtomicInteger wip = new AtomicInteger();
    private volatile Runnable onRoom = () -> { };
    private volatile boolean cancelled;
    private boolean terminated;

    Delivery(Executor executor, Target target, int capacity) {
        this.executor = executor;
        this.target = target;
        this.capacity = capacity;
    }

    /** Called when the queue has drained to half its capacity. */
    void onRoom(Runnable callback) {
        onRoom = callback;
    }

    boolean hasRoom() {
        return queuedEvents.get() < capacity;
    }

    void event(TidingsEvent event) {
        queuedEvents.incrementAndGet();
        queue.add(event);
        drain();
    }

    void stateChange(ConnectionStateChange change) {
        queue.add(change);
        drain();
    }

    void complete() {
        queue.add(Terminal.COMPLETE);
        drain();
    }

    void fail(Throwable failure) {
        queue.add(new Terminal(failure));
        drain();
    }

    void request(long n) {
        demand.accumulateAndGet(n, (current, added) -> {
            long sum = current + added;
            return sum < 0 ? Long.MAX_VALUE : sum;
        });
        drain();
    }

    /** The consumer left: no event and no end is delivered any more; state changes still are. */
    void cancel() {
        cancelled = true;
        drain();
    }

    private void drain() {
        if (wip.getAndIncrement() != 0) {
            return;
        }
        try {
            executor.execute(this::drainLoop);
        } catch (RejectedExecutionException e) {
            // The executor is shut down (the client is closed) or full: deliver on this thread
            // rather than drop the last signals, such as the end of the stream.
            drainLoop();
        }
    }

    private void drainLoop() {
        int missed = 1;
        while (true) {
            deliverAvailable();
            missed = wip.addAndGet(-missed);
            if (missed == 0) {
                return;
            }
        }
    }

    private void deliverAvailable() {
        while (true) {
            Object next = queue.peek();
            if (next == null) {
                return;
            }
            if (cancelled && !(next instanceof ConnectionStateChange)) {
                // The consumer left: events and the end are not its business any more.
                queue.poll();
                if (next instanceof TidingsEvent) {
                    queuedEvents.decrementAndGet();
                }
                continue;
            }
            if (next instanceof TidingsEvent) {
                if (demand.get() == 0) {
                    return;
                }
                queue.poll();
                if (demand.get() != Long.MAX_VALUE) {
                    demand.decrementAndGet();
                }
                int left = queuedEvents.decrementAndGet();
                if (!terminated) {
                    call(() -> target.onEvent((TidingsEvent) next));
                }
                if (left <= capacity / 2) {
                    onRoom.run();
                }
            } else if (next instanceof ConnectionStateChange) {
                queue.poll();
                call(() -> target.onStateChange((ConnectionStateChange) next));
            } else {
                queue.poll();
                if (!terminated) {
                    terminated = true;
                    Throwable failure = ((Terminal) next).failure;
                    call(failure == null ? target::onComplete : () -> target.onError(failure));
                }
            }
        }
    }

    private static void call(Runnable callback) {
        try {
            callback.run();
        } catch (RuntimeException | Error e) {
            LOG.log(System.Logger.Level.WARNING, "A Tidings subscriber's callback threw; delivery goes on", e);
        }
    }

    private static final class Terminal {
        static final Terminal COMPLETE = new Terminal(null);
        final Throwable failure;

        Terminal(Throwable failure) {
            this.failure = failure;
        }
    }
}
