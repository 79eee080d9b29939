package dev.tidings.server.hub;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.annotation.PostConstruct;
import jakarta.inject.Singleton;

import dev.tidings.server.config.TidingsConfig;
import dev.tidings.server.metrics.TidingsMetrics;

/**
 * Topics, subscriptions and history. Resources translate HTTP into calls on the hub; the bus
 * behind it assigns ids and keeps history; the hub fans each event out to the subscribers of
 * this replica through one bounded queue per subscriber thread. Past that bound a publish is
 * refused rather than queued without limit.
 */
@Singleton
public class Hub {

    private final Bus bus;
    private final TidingsMetrics metrics;
    private final int maxQueued;
    private final Map<Executor, Shard> shards = new ConcurrentHashMap<>();
    /** Subscription count per exact topic or pattern, for the topics listing. */
    private final Map<TopicPattern, Integer> subscriptions = new ConcurrentHashMap<>();
    private final AtomicInteger subscribers = new AtomicInteger();
    private volatile boolean accepting = true;

    public Hub(Bus bus, TidingsMetrics metrics, TidingsConfig config) {
        this.bus = bus;
        this.metrics = metrics;
        this.maxQueued = config.publish().maxQueued();
    }

    @PostConstruct
    void start() {
        bus.start(new BusListener() {
            @Override
            public void event(Event event) {
                fanOut(event);
            }

            @Override
            public boolean fanOutIsFull() {
                return Hub.this.fanOutIsFull();
            }

            @Override
            public void members(String room, int count) {
                signal(TopicFamilies.chat(room), Presence.TYPE, Presence.data(room, count));
            }

            @Override
            public void historyReplaced() {
                shards.values().forEach(Shard::enqueueHistoryReplaced);
            }
        });
    }

    /** Fails with {@link HubUnavailableException} when the event cannot be stored or forwarded. */
    public CompletionStage<Event> publish(String topic, String type, String data) {
        if (!accepting && !bus.outlivesReplica()) {
            return CompletableFuture.failedFuture(new HubUnavailableException("The server is shutting down"));
        }
        if (fanOutIsFull()) {
            metrics.publishRefused();
            return CompletableFuture.failedFuture(new HubUnavailableException(
                    "Subscribers are behind on delivery; the event was not accepted, publish it again shortly"));
        }
        return bus.publish(topic, type, data).thenApply(event -> {
            metrics.published();
            return event;
        });
    }

    /** Sends current state (a signal: no id, not stored) to this replica's live subscribers of {@code topic}. */
    private void signal(String topic, String type, String data) {
        fanOut(Event.signal(topic, type, Instant.now(), data));
    }

    /** @see History#after */
    public CompletionStage<Replay> replay(String lastEventId, TopicFilter filter, int maxEvents) {
        return bus.replay(lastEventId, filter, maxEvents);
    }

    /** @see History#read */
    public CompletionStage<HistoryPage> read(String topic, Optional<String> afterId, int limit, long maxBytes) {
        return bus.read(topic, afterId, limit, maxBytes);
    }

    /** @see History#last */
    public CompletionStage<List<Event>> last(String topic, int count) {
        return bus.last(topic, count);
    }

    /** Must be called on the subscriber's executor. */
    public void subscribe(Subscriber subscriber) {
        shards.computeIfAbsent(subscriber.executor(), executor -> new Shard(executor, metrics::delivered)).add(subscriber);
        subscriber.filter().patterns().forEach(pattern -> subscriptions.merge(pattern, 1, Integer::sum));
        subscribers.incrementAndGet();
    }

    /** Must be called on the subscriber's executor, once per successful subscribe. */
    public void unsubscribe(Subscriber subscriber) {
        shards.get(subscriber.executor()).remove(subscriber);
        subscriber.filter().patterns().forEach(pattern -> subscriptions.computeIfPresent(pattern,
                (p, count) -> count == 1 ? null : count - 1));
        subscribers.decrementAndGet();
    }

    public int subscriberCount() {
        return subscribers.get();
    }

    /** Topics with retained events or subscribers, by name. */
    public CompletionStage<List<TopicInfo>> topics() {
        return bus.latestIds().thenApply(latest -> {
            Map<String, String> topics = new TreeMap<>(latest);
            subscriptions.keySet().stream()
                    .filter(pattern -> !pattern.isWildcard())
                    .forEach(pattern -> topics.putIfAbsent(pattern.toString(), null));
            List<TopicInfo> infos = new ArrayList<>();
            topics.forEach((topic, lastId) -> infos.add(new TopicInfo(topic, countSubscribers(topic), lastId)));
            return infos;
        });
    }

    /**
     * Whether new streams are taken: false once shutdown has begun. Publishes are refused from then
     * on too, unless the bus keeps events beyond this replica.
     */
    public boolean isAccepting() {
        return accepting;
    }

    public void stopAccepting() {
        accepting = false;
    }

    public boolean isReady() {
        return accepting && bus.isReady();
    }

    private int countSubscribers(String topic) {
        int count = 0;
        for (Map.Entry<TopicPattern, Integer> entry : subscriptions.entrySet()) {
            if (entry.getKey().matches(topic)) {
                count += entry.getValue();
            }
        }
        return count;
    }

    /** Events waiting for fan-out on the most loaded subscriber thread. */
    private int fanOutQueued() {
        int most = 0;
        for (Shard shard : shards.values()) {
            most = Math.max(most, shard.queued());
        }
        return most;
    }

    private boolean fanOutIsFull() {
        return fanOutQueued() >= maxQueued;
    }

    private void fanOut(Event event) {
        for (Shard shard : shards.values()) {
            shard.enqueue(event);
        }
    }
}
