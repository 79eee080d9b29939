package dev.tidings.server.hub;

/** What a {@link Bus} tells the hub of this replica. */
public interface BusListener {

    /** An event published on any replica, in id order. */
    void event(Event event);

    /** Whether this replica's fan-out is as far behind as it may get: a bus that reads ahead should wait. */
    boolean fanOutIsFull();

    /** The member count of a chat room across all replicas, after it changed. */
    void members(String room, int count);

    /**
     * The shared history was lost or replaced (the broker restarted empty, failed over to a copy
     * that lagged, was flushed): events may be missing after the last one delivered, so no live
     * stream may simply go on. Events after this call belong to the new history.
     */
    void historyReplaced();
}
