package dev.tidings.server.hub;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * The subscribers of one executor (an event loop), indexed by exact topic, and the queue of events
 * waiting to reach them. Publishers only enqueue; one drain task at a time runs on the executor and
 * dispatches a batch, so a burst of events costs one wake-up, not one task per event, and each
 * subscriber can send a burst's events together.
 */
final class Shard {

    /** Events dispatched per task before the executor gets to run other work (reads, publishes). */
    private static final int BATCH = 32;
    /** Queued in event order to tell every subscriber that the history before it was replaced. */
    private static final Event HISTORY_REPLACED = Event.signal("-", "history-replaced", Instant.EPOCH, "null");

    private final Executor executor;
    private final IntConsumer delivered;
    private final Queue<Event> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final Runnable drainTask = this::drain;

    // Touched only on the executor's thread.
    private final Map<String, List<Subscriber>> byTopic = new HashMap<>();
    private final List<Subscriber> withWildcards = new ArrayList<>();
    private final List<Subscriber> removedWhileDispatching = new ArrayList<>();
    private boolean dispatching;

    Shard(Executor executor, IntConsumer delivered) {
        this.executor = executor;
        this.delivered = delivered;
    }

    /** Events waiting to be dispatched. */
    int queued() {
        return queued.get();
    }

    /** Any thread; events must be enqueued in id order. */
    void enqueue(Event event) {
        queue.offer(event);
        queued.incrementAndGet();
        if (scheduled.compareAndSet(false, true)) {
            executor.execute(drainTask);
        }
    }

    /** Any thread: once the events queued before it are dispatched, every subscriber hears the history was replaced. */
    void enqueueHistoryReplaced() {
        enqueue(HISTORY_REPLACED);
    }

    private void drain() {
        scheduled.set(false);
        for (int i = 0; i < BATCH; i++) {
            Event event = queue.poll();
            if (event == null) {
                return;
            }
            queued.decrementAndGet();
            if (event == HISTORY_REPLACED) {
                historyReplaced();
            } else {
                delivered.accept(dispatch(event, i < BATCH - 1 && !queue.isEmpty()));
            }
        }
        if (!queue.isEmpty() && scheduled.compareAndSet(false, true)) {
            executor.execute(drainTask);
        }
    }

    void add(Subscriber subscriber) {
        TopicFilter filter = subscriber.filter();
        for (String topic : filter.exactTopics()) {
            byTopic.computeIfAbsent(topic, t -> new ArrayList<>()).add(subscriber);
        }
        if (!filter.wildcards().isEmpty()) {
            withWildcards.add(subscriber);
        }
    }

    void remove(Subscriber subscriber) {
        if (dispatching) {
            // A subscriber may close itself from deliver(); never mutate the lists being iterated.
            removedWhileDispatching.add(subscriber);
            return;
        }
        TopicFilter filter = subscriber.filter();
        for (String topic : filter.exactTopics()) {
            List<Subscriber> subscribers = byTopic.get(topic);
            if (subscribers != null && subscribers.remove(subscriber) && subscribers.isEmpty()) {
                byTopic.remove(topic);
            }
        }
        if (!filter.wildcards().isEmpty()) {
            withWildcards.remove(subscriber);
        }
    }

    private void historyReplaced() {
        Set<Subscriber> all = Collections.newSetFromMap(new IdentityHashMap<>());
        byTopic.values().forEach(all::addAll);
        all.addAll(withWildcards);
        all.forEach(Subscriber::historyReplaced);
    }

    /** @return how many subscribers took the event */
    private int dispatch(Event event, boolean moreFollow) {
        int taken = 0;
        dispatching = true;
        try {
            List<Subscriber> exact = byTopic.get(event.topic());
            if (exact != null) {
                for (int i = 0, n = exact.size(); i < n; i++) {
                    if (exact.get(i).deliver(event, moreFollow)) {
                        taken++;
                    }
                }
            }
            if (!withWildcards.isEmpty()) {
                String[] segments = TopicPattern.segments(event.topic());
                for (int i = 0, n = withWildcards.size(); i < n; i++) {
                    Subscriber subscriber = withWildcards.get(i);
                    // Subscribers that name the topic exactly were served above.
                    if (!subscriber.filter().hasExact(event.topic()) && subscriber.filter().matchesWildcard(segments)
                            && subscriber.deliver(event, moreFollow)) {
                        taken++;
                    }
                }
            }
        } finally {
            dispatching = false;
        }
        if (!removedWhileDispatching.isEmpty()) {
            List<Subscriber> removed = new ArrayList<>(removedWhileDispatching);
            removedWhileDispatching.clear();
            removed.forEach(this::remove);
        }
        return taken;
    }
}
