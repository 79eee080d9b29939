package dev.tidings.client.internal;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/** Daemon threads named {@code <prefix>} or {@code <prefix>-<n>}, so they are easy to recognise. */
public final class NamedThreadFactory implements ThreadFactory {

    private final String prefix;
    private final boolean numbered;
    private final AtomicInteger count = new AtomicInteger();

    public NamedThreadFactory(String prefix, boolean numbered) {
        this.prefix = prefix;
        this.numbered = numbered;
    }

    @Override
    public Thread newThread(Runnable task) {
        Thread thread = new Thread(task, numbered ? prefix + "-" + count.incrementAndGet() : prefix);
        thread.setDaemon(true);
        return thread;
    }
}
