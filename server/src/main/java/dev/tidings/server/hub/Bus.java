package dev.tidings.server.hub;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * The hub's port to the transport that carries published events between replicas and keeps the
 * shared history. The embedded implementation is in-process; a shared broker implementation lets
 * several replicas serve the same topics. Every replica sees every event once, in id order.
 */
public interface Bus {

    /** Starts delivery: from now on every event, from any replica, goes to {@code listener} in id order. */
    void start(BusListener listener);

    /** Assigns the id and time, stores the event and forwards it; fails when it cannot. */
    CompletionStage<Event> publish(String topic, String type, String data);

    /** @see dev.tidings.server.hub.History#after */
    CompletionStage<Replay> replay(String lastEventId, TopicFilter filter, int maxEvents);

    /** @see History#read */
    CompletionStage<HistoryPage> read(String topic, Optional<String> afterId, int limit, long maxBytes);

    /** @see History#last */
    CompletionStage<List<Event>> last(String topic, int count);

    /** Topics with retained events, each with its newest event id. */
    CompletionStage<Map<String, String>> latestIds();

    /**
     * Changes this replica's member count of a chat room by {@code delta}; the room's count across
     * all replicas then reaches {@link BusListener#members} here and on every replica with members.
     */
    void changeMembers(String room, int delta);

    /** Whether the bus can take publishes now. */
    boolean isReady();

    /**
     * Whether a stored event outlives this replica, so a replica that is shutting down may still
     * take publishes: the other replicas deliver them. False for a history kept in this process.
     */
    default boolean outlivesReplica() {
        return false;
    }

    /** Stops delivery and says goodbye to the other replicas; at shutdown, once streams have ended. */
    default void stop() {
    }
}
