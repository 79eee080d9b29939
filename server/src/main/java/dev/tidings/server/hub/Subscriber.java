package dev.tidings.server.hub;

import io.netty.channel.EventLoop;

/**
 * One live subscription. Each subscriber belongs to one event loop: the hub adds, removes and
 * delivers to it only on that loop, so a subscriber needs no locking of its own.
 */
public interface Subscriber {

    TopicFilter filter();

    EventLoop eventLoop();

    /**
     * Called on {@link #eventLoop()} for each matching event, in id order.
     *
     * @return whether the event was written to the subscriber now
     */
    boolean deliver(Event event);
}
