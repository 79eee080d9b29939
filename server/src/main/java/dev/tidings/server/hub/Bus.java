package dev.tidings.server.hub;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * The hub's port to the transport that carries published events between replicas and keeps the
 * shared history. The embedded implementation is in-process; a shared broker implementation lets
 * several replicas serve the same topics. Every replica sees every event once, in id order.
 */
public interface Bus {

    /** Starts delivery: from now on every event, from any replica, goes to {@code sink} in id order. */
    void start(Consumer<Event> sink);

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

    /** Whether the bus can take publishes now. */
    boolean isReady();
}
