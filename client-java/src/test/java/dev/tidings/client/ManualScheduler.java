package dev.tidings.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import dev.tidings.client.internal.Scheduler;

/** Virtual time: tasks run only when a test advances the clock past them. Nothing sleeps. */
final class ManualScheduler implements Scheduler {

    private long now = 1_000_000_000L;
    private long sequence;
    private final List<Task> tasks = new ArrayList<>();

    @Override
    public synchronized long nanoTime() {
        return now;
    }

    @Override
    public synchronized Cancellable schedule(Runnable task, Duration delay) {
        Task scheduled = new Task(now + delay.toNanos(), sequence++, task);
        tasks.add(scheduled);
        return () -> {
            synchronized (ManualScheduler.this) {
                tasks.remove(scheduled);
            }
        };
    }

    /** Moves the clock forward, running every task that falls due on the way, in time order. */
    void advance(Duration step) {
        long target;
        synchronized (this) {
            target = now + step.toNanos();
        }
        while (true) {
            Task next;
            synchronized (this) {
                next = tasks.stream().filter(t -> t.due <= target)
                        .min(Comparator.comparingLong((Task t) -> t.due).thenComparingLong(t -> t.sequence))
                        .orElse(null);
                if (next == null) {
                    now = target;
                    return;
                }
                tasks.remove(next);
                now = Math.max(now, next.due);
            }
            next.task.run();
        }
    }

    synchronized int pending() {
        return tasks.size();
    }

    private static final class Task {
        final long due;
        final long sequence;
        final Runnable task;

        Task(long due, long sequence, Runnable task) {
            this.due = due;
            this.sequence = sequence;
            this.task = task;
        }
    }
}
