package dev.tidings.server.hub;

import java.util.concurrent.Executor;

/**
 * One live subscription. Each subscriber belongs to one thread, reached through its executor:
 * the hub adds, removes and delivers to it only there, so a subscriber needs no locking of its
 * own, and subscribers sharing an executor share one fan-out queue.
 */
public interface Subscriber {

    TopicFilter filter();

    /** Runs tasks on the subscriber's own thread; one instance per thread. */
    Executor executor();

    /**
     * Called on {@link #executor()} for each matching event, in id order (signals in between).
     *
     * @param moreFollow whether more events for this executor follow in the same task: the
     *        subscriber may hold what it sends until the last of them, to send them together
     * @return whether the event was taken for sending
     */
    boolean deliver(Event event, boolean moreFollow);

    /**
     * Called on {@link #executor()} when the shared history was replaced: events may be missing
     * after the last one delivered, so the subscriber must not simply go on.
     */
    void historyReplaced();
}
