package dev.tidings.bench.load;

import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import io.vertx.core.Vertx;

/**
 * A set of SSE subscriptions to one server: opens them at a bounded rate, counts what happens to
 * them and, at the end, accounts per subscription for the events it lost or received twice.
 */
public final class SubscriberGroup {

    /** Makes the subscription to {@code ledger}'s topic, the {@code index}-th of the group. */
    interface SubscriberFactory {
        SseSubscriber create(int index, TopicLedger ledger);
    }

    private final Vertx vertx;
    private final Endpoint endpoint;
    private final DeliveryStats stats;
    private final List<SseSubscriber> subscribers = new ArrayList<>();
    private volatile boolean reconnects = true;
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger pendingConnects = new AtomicInteger();
    private final AtomicLong opened = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong connectFailures = new AtomicLong();
    private final AtomicLong headTimeouts = new AtomicLong();
    private final AtomicLong protocolErrors = new AtomicLong();
    private final AtomicLong unparsable = new AtomicLong();
    private final AtomicLong connections = new AtomicLong();
    private final LongAdder resets = new LongAdder();
    private final OfflineTimes offline = new OfflineTimes();
    private final Map<Integer, AtomicLong> rejectedByStatus = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> openedAs = new ConcurrentHashMap<>();
    private final List<Runnable> onClose = new ArrayList<>();
    private volatile String lastProtocolError;

    SubscriberGroup(Vertx vertx, Endpoint endpoint, DeliveryStats stats) {
        this.vertx = vertx;
        this.endpoint = endpoint;
        this.stats = stats;
    }

    /** Adds the subscriptions, the i-th to the topic of {@code topicOfEach.get(i)}; none is opened yet. */
    SubscriberGroup add(List<TopicLedger> topicOfEach, SubscriberFactory factory) {
        for (int i = 0; i < topicOfEach.size(); i++) {
            subscribers.add(factory.create(i, topicOfEach.get(i)));
        }
        return this;
    }

    /** Runs {@code action} once every subscription is closed (clients the group owns). */
    void onClose(Runnable action) {
        onClose.add(action);
    }

    /**
     * Opens every subscription, at most {@code perSecond} connection attempts a second and
     * {@code maxPending} at once, and waits until all are open or {@code timeout} passed.
     *
     * @return how many are open
     */
    public int open(int perSecond, int maxPending, Duration timeout) throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        int started = 0;
        while (started < subscribers.size() && System.nanoTime() < deadline) {
            long allowed = Math.min(subscribers.size(), 1 + (System.nanoTime() - start) * perSecond / 1_000_000_000L);
            while (started < allowed && pendingConnects.get() < maxPending) {
                subscribers.get(started++).connect();
            }
            Thread.sleep(5);
        }
        while (open.get() < subscribers.size() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        return open.get();
    }

    public void reconnects(boolean on) {
        reconnects = on;
    }

    /** Closes every subscription and waits (bounded) until the closes are seen. */
    public void close(Duration timeout) throws InterruptedException {
        reconnects = false;
        subscribers.forEach(SseSubscriber::stop);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (open.get() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        onClose.forEach(Runnable::run);
        onClose.clear();
    }

    public int size() {
        return subscribers.size();
    }

    public int openCount() {
        return open.get();
    }

    /** Streams the server closed or broke while the bench wanted them open. */
    public long dropped() {
        return dropped.get();
    }

    public long opened() {
        return opened.get();
    }

    public long connectFailures() {
        return connectFailures.get();
    }

    public long headTimeouts() {
        return headTimeouts.get();
    }

    public long protocolErrors() {
        return protocolErrors.get();
    }

    public String lastProtocolError() {
        return lastProtocolError;
    }

    public long unparsable() {
        return unparsable.get();
    }

    /** Connections a multiplexing client opened (h2c); zero for one connection per stream. */
    public long connections() {
        return connections.get();
    }

    /**
     * How the streams were carried, by count of opens: {@code HTTP/2 identity}, {@code HTTP/1.1 gzip},
     * … as the responses said.
     */
    public Map<String, Long> openedAs() {
        Map<String, Long> copy = new TreeMap<>();
        openedAs.forEach((protocol, count) -> copy.put(protocol, count.get()));
        return copy;
    }

    /** {@code reset} events: the server said it could not replay from the id the client gave. */
    public long resets() {
        return resets.sum();
    }

    /** How long subscriptions were without a stream after one was cut. */
    public OfflineTimes offline() {
        return offline;
    }

    /** Subscriptions that received at least one {@code reset}. */
    public long subscribersWithResets() {
        return subscribers.stream().filter(subscriber -> subscriber.resets() > 0).count();
    }

    public Map<Integer, Long> rejectedByStatus() {
        Map<Integer, Long> copy = new TreeMap<>();
        rejectedByStatus.forEach((status, count) -> copy.put(status, count.get()));
        return copy;
    }

    /**
     * Per-subscription accounting against what the publisher had acknowledged, over the
     * subscriptions that were ever open (one that never connected is a connection failure,
     * reported as such, not a loss of events).
     */
    public record Accounting(long expected, long received, long lost, long duplicates, long reordered,
            long silentlyLost) {
    }

    public Accounting account() {
        Map<TopicLedger, BitSet> acknowledged = new HashMap<>();
        long expected = 0;
        long received = 0;
        long lost = 0;
        long duplicates = 0;
        long reordered = 0;
        long silentlyLost = 0;
        for (SseSubscriber subscriber : subscribers) {
            if (!subscriber.everOpened()) {
                continue;
            }
            BitSet acked = acknowledged.computeIfAbsent(subscriber.ledger(), TopicLedger::acknowledgedSnapshot);
            expected += acked.cardinality();
            SeqTracker tracker = subscriber.tracker();
            received += tracker.received();
            long missing = tracker.missing(acked);
            lost += missing;
            silentlyLost += subscriber.resets() == 0 ? missing : 0;
            duplicates += tracker.duplicates();
            reordered += tracker.reordered();
        }
        return new Accounting(expected, received, lost, duplicates, reordered, silentlyLost);
    }

    // --- called by the subscriptions, on their event loops

    Vertx vertx() {
        return vertx;
    }

    Endpoint endpoint() {
        return endpoint;
    }

    DeliveryStats stats() {
        return stats;
    }

    boolean reconnects() {
        return reconnects;
    }

    void connecting() {
        pendingConnects.incrementAndGet();
    }

    void connectDone() {
        pendingConnects.decrementAndGet();
    }

    void connectFailed() {
        connectFailures.incrementAndGet();
    }

    void headTimedOut() {
        headTimeouts.incrementAndGet();
    }

    void streamOpened(String protocol) {
        open.incrementAndGet();
        opened.incrementAndGet();
        openedAs.computeIfAbsent(protocol, p -> new AtomicLong()).incrementAndGet();
    }

    void connectionOpened() {
        connections.incrementAndGet();
    }

    void closed(boolean wanted) {
        open.decrementAndGet();
        if (!wanted) {
            dropped.incrementAndGet();
        }
    }

    void rejected(int status) {
        rejectedByStatus.computeIfAbsent(status, s -> new AtomicLong()).incrementAndGet();
    }

    void protocolError(String message) {
        protocolErrors.incrementAndGet();
        lastProtocolError = message;
    }

    void unparsableEvent() {
        unparsable.incrementAndGet();
    }

    void reset() {
        resets.increment();
    }
}
