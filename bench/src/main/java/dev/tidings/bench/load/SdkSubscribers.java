package dev.tidings.bench.load;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import dev.tidings.client.ConnectionState;
import dev.tidings.client.ConnectionStateChange;
import dev.tidings.client.Subscription;
import dev.tidings.client.TidingsClient;
import dev.tidings.client.TidingsEvent;
import dev.tidings.client.TidingsListener;

/**
 * Subscriptions made with the Java SDK, as Java programs using it would: a few clients
 * (programs), each with its share of the subscriptions, every one left to the SDK's own
 * reconnection (its default backoff, resume and de-duplication). Accounted like a
 * {@link SubscriberGroup}: events by sequence, resets, and the time each was without a stream.
 */
public final class SdkSubscribers implements AutoCloseable {

    private final List<TidingsClient> clients = new ArrayList<>();
    private final List<Member> members = new ArrayList<>();
    private final List<Subscription> subscriptions = new ArrayList<>();
    private final TopicLedger ledger;
    private final OfflineTimes offline = new OfflineTimes();
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicLong unparsable = new AtomicLong();

    /**
     * @param base the server (or the balancer in front of it)
     * @param subscriptions how many subscriptions to {@code ledger}'s topic
     * @param programs over how many clients they are spread
     */
    public SdkSubscribers(URI base, TopicLedger ledger, int subscriptions, int programs) {
        this.ledger = ledger;
        for (int i = 0; i < Math.max(1, programs); i++) {
            clients.add(TidingsClient.builder(base).build());
        }
        for (int i = 0; i < subscriptions; i++) {
            members.add(new Member());
        }
    }

    /** Subscribes every member, at most {@code perSecond} a second, and waits until all are open or {@code timeout} passed. */
    public int open(int perSecond, Duration timeout) throws InterruptedException {
        long start = System.nanoTime();
        for (int i = 0; i < members.size(); i++) {
            long due = start + TimeUnit.SECONDS.toNanos(i) / Math.max(1, perSecond);
            long wait = due - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            subscriptions.add(clients.get(i % clients.size()).subscribe(members.get(i), ledger.topic()));
        }
        long deadline = start + timeout.toNanos();
        while (open.get() < members.size() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        return open.get();
    }

    public int size() {
        return members.size();
    }

    public int openCount() {
        return open.get();
    }

    public OfflineTimes offline() {
        return offline;
    }

    public long unparsable() {
        return unparsable.get();
    }

    /** {@code reset} signals (history gaps) the SDK delivered. */
    public long resets() {
        return members.stream().mapToLong(member -> member.resets).sum();
    }

    public long subscribersWithResets() {
        return members.stream().filter(member -> member.resets > 0).count();
    }

    /** How many subscriptions are in each state now, with the last failure of those not open: for the run's notes. */
    public Map<String, Long> states() {
        return members.stream().collect(Collectors.groupingBy(Member::describe, TreeMap::new, Collectors.counting()));
    }

    /** Against what the publisher had acknowledged, as {@link SubscriberGroup#account()}. */
    public SubscriberGroup.Accounting account() {
        BitSet acknowledged = ledger.acknowledgedSnapshot();
        long expected = 0;
        long received = 0;
        long lost = 0;
        long duplicates = 0;
        long reordered = 0;
        long silentlyLost = 0;
        for (Member member : members) {
            if (!member.everOpened) {
                continue;
            }
            expected += acknowledged.cardinality();
            received += member.tracker.received();
            long missing = member.tracker.missing(acknowledged);
            lost += missing;
            silentlyLost += member.resets == 0 ? missing : 0;
            duplicates += member.tracker.duplicates();
            reordered += member.tracker.reordered();
        }
        return new SubscriberGroup.Accounting(expected, received, lost, duplicates, reordered, silentlyLost);
    }

    /** Closes every subscription and client: the SDK leaves no thread or connection behind. */
    @Override
    public void close() {
        subscriptions.forEach(Subscription::close);
        clients.forEach(TidingsClient::close);
    }

    /** One subscription's listener; the SDK calls it one callback at a time. */
    private final class Member implements TidingsListener {

        private final SeqTracker tracker = new SeqTracker();
        private volatile boolean everOpened;
        private volatile long resets;
        private boolean isOpen;
        private long lostAt;
        private volatile ConnectionStateChange last;

        String describe() {
            ConnectionStateChange change = last;
            if (change == null) {
                return "never connected";
            }
            return change.state() + change.cause().map(cause -> " after " + cause).orElse("");
        }

        @Override
        public void onEvent(TidingsEvent event) {
            byte[] data = event.data().getBytes(StandardCharsets.UTF_8);
            long sequence = Payload.sequence(data, data.length);
            if (sequence == Payload.NONE) {
                unparsable.incrementAndGet();
                return;
            }
            tracker.record(sequence);
        }

        @Override
        public void onGap(TidingsEvent reset) {
            resets++;
        }

        @Override
        public void onStateChange(ConnectionStateChange change) {
            last = change;
            if (change.state() == ConnectionState.OPEN) {
                everOpened = true;
                isOpen = true;
                open.incrementAndGet();
                if (lostAt != 0) {
                    offline.record(lostAt, System.nanoTime());
                    lostAt = 0;
                }
            } else if (isOpen) {
                isOpen = false;
                open.decrementAndGet();
                lostAt = System.nanoTime();
            }
        }
    }
}
