package dev.tidings.server.hub;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.annotation.PostConstruct;
import jakarta.inject.Singleton;

import dev.tidings.server.bus.Bus;
import dev.tidings.server.metrics.TidingsMetrics;

/**
 * Topics, subscriptions and history. Resources translate HTTP into calls on the hub; the bus
 * behind it assigns ids and keeps history; the hub fans each event out to the subscribers of
 * this replica, one task per event loop.
 */
@Singleton
public class Hub {

    private final Bus bus;
    private final TidingsMetrics metrics;
    private final Map<io.netty.channel.EventLoop, Shard> shards = new ConcurrentHashMap<>();
    /** Subscription count per exact topic or pattern, for the topics listing. */
    private final Map<TopicPattern, Integer> subscriptions = new ConcurrentHashMap<>();
    private final AtomicInteger subscribers = new AtomicInteger();
    private volatile boolean accepting = true;

    public Hub(Bus bus, TidingsMetrics metrics) {
        this.bus = bus;
        this.metrics = metrics;
    }

    @PostConstruct
    void start() {
        bus.start(this::fanOut);
    }

    /** Fails with {@link HubUnavailableException} when the event cannot be stored or forwarded. */
    public CompletionStage<Event> publish(String topic, String type, String data) {
        if (!accepting) {
            return CompletableFuture.failedFuture(new HubUnavailableException("The server is shutting down"));
        }
        return bus.publish(topic, type, data).thenApply(event -> {
            metrics.published();
            return event;
        });
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

    /** Must be called on the subscriber's event loop. */
    public void subscribe(Subscriber subscriber) {
        shards.computeIfAbsent(subscriber.eventLoop(), Shard::new).add(subscriber);
        subscriber.filter().patterns().forEach(pattern -> subscriptions.merge(pattern, 1, Integer::sum));
        subscribers.incrementAndGet();
    }

    /** Must be called on the subscriber's event loop, once per successful subscribe. */
    public void unsubscribe(Subscriber subscriber) {
        shards.get(subscriber.eventLoop()).remove(subscriber);
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

    /** Whether new streams and publishes are taken: false once shutdown has begun. */
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

    private void fanOut(Event event) {
        for (Shard shard : shards.values()) {
            // Counted once per loop and event, not once per subscriber.
            shard.loop().execute(() -> metrics.delivered(shard.dispatch(event)));
        }
    }
}
