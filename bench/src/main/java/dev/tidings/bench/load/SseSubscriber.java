package dev.tidings.bench.load;

import java.util.concurrent.ThreadLocalRandom;

import dev.tidings.bench.sse.SseScanner;

/**
 * One SSE subscription, whatever carries it: counts the events it receives and, like an
 * {@code EventSource} without an SDK, reconnects when the stream ends or fails, sending the last
 * event id it saw as {@code Last-Event-ID}. Subclasses open the stream and report what happens
 * to it.
 *
 * <p>Apart from {@link #connect()} and {@link #stop()}, everything runs on the event loop the
 * stream belongs to.
 */
abstract class SseSubscriber implements SseScanner.Listener {

    /** First reconnect after a random delay up to this, then doubling per failure up to the cap. */
    static final long FIRST_RETRY_MAX_MILLIS = 250;
    static final long RETRY_CAP_MILLIS = 2000;
    static final long HEAD_TIMEOUT_MILLIS = 10_000;

    protected final SubscriberGroup group;
    private final TopicLedger ledger;
    private final SeqTracker tracker = new SeqTracker();
    protected volatile boolean stopped;
    private DeliveryStats.Loop loop;
    private String lastEventId;
    private boolean open;
    private volatile boolean everOpened;
    /** Between a connection attempt and its response head (or its failure). */
    private boolean pending;
    private int failures;
    private long headTimer = -1;
    /** When the open stream was lost, until the next one opens; 0 while none is lost. */
    private long lostAt;
    private volatile int resets;

    SseSubscriber(SubscriberGroup group, TopicLedger ledger) {
        this.group = group;
        this.ledger = ledger;
    }

    /** Opens the stream (again); safe from any thread. */
    abstract void connect();

    /** Closes the stream for good; safe from any thread. */
    abstract void stop();

    TopicLedger ledger() {
        return ledger;
    }

    SeqTracker tracker() {
        return tracker;
    }

    /** {@code reset} events this subscription received. */
    int resets() {
        return resets;
    }

    /** Whether a stream was ever open: one that never was could not lose events. */
    boolean everOpened() {
        return everOpened;
    }

    /** The id to resume from, or null before any event id was seen. */
    protected final String lastEventId() {
        return lastEventId;
    }

    /** Request target of the subscription. */
    protected final String path() {
        return group.endpoint().subscribePath(ledger.topic());
    }

    /** A connection attempt begins. */
    protected final void attempting() {
        pending = true;
        group.connecting();
    }

    /** The attempt failed before a request could be sent. */
    protected final void attemptFailed() {
        settle();
        group.connectFailed();
        retryLater();
    }

    /** The attempt was dropped because the subscription stopped meanwhile. */
    protected final void attemptAbandoned() {
        settle();
    }

    /**
     * The request went out, on the event loop that reads the answer: when no head comes back
     * in time, {@code giveUp} closes the attempt.
     */
    protected final void requestSent(Runnable giveUp) {
        loop = group.stats().loop();
        headTimer = group.vertx().setTimer(HEAD_TIMEOUT_MILLIS, id -> {
            headTimer = -1;
            if (!open) {
                group.headTimedOut();
                giveUp.run();
            }
        });
    }

    /**
     * What carries a stream, as its response said: {@code HTTP/2 identity}, {@code HTTP/1.1 gzip}.
     *
     * @param encoding the response's {@code Content-Encoding}, or null when it had none
     */
    static String protocol(String version, String encoding) {
        return version + " " + (encoding == null ? "identity" : encoding);
    }

    /**
     * The response head arrived.
     *
     * @param protocol what carries the stream, see {@link #protocol(String, String)}
     * @return true when the stream is open; on false the caller closes the attempt
     */
    protected final boolean headReceived(int status, String protocol) {
        cancelHeadTimer();
        settle();
        if (status != 200) {
            group.rejected(status);
            return false;
        }
        open = true;
        everOpened = true;
        failures = 0;
        if (lostAt != 0) {
            group.offline().record(lostAt, System.nanoTime());
            lostAt = 0;
        }
        group.streamOpened(protocol);
        return true;
    }

    /**
     * The stream or the attempt ended, however it ended.
     *
     * @param lastIdSeen the last event id the stream set, or null
     */
    protected final void ended(String lastIdSeen) {
        cancelHeadTimer();
        settle();
        if (lastIdSeen != null) {
            lastEventId = lastIdSeen;
        }
        if (open) {
            open = false;
            lostAt = System.nanoTime();
            group.closed(stopped);
        }
        retryLater();
    }

    @Override
    public final void onEvent(byte[] data, int length, String type) {
        if (type.equals("reset")) {
            resets++;
            group.reset();
            return;
        }
        if (!type.equals(SseScanner.DEFAULT_TYPE)) {
            return; // presence and other server events
        }
        long now = System.nanoTime();
        long sequence = Payload.sequence(data, length);
        long sent = Payload.sentNanos(data, length);
        if (sequence == Payload.NONE || sent == Payload.NONE) {
            group.unparsableEvent();
            return;
        }
        group.stats().delivered();
        if (tracker.record(sequence)) {
            loop.recordNanos(now - sent);
        }
    }

    private void retryLater() {
        if (stopped || !group.reconnects()) {
            return;
        }
        failures++;
        long delay = failures == 1
                ? ThreadLocalRandom.current().nextLong(FIRST_RETRY_MAX_MILLIS + 1)
                : (long) (Math.min(RETRY_CAP_MILLIS, FIRST_RETRY_MAX_MILLIS << Math.min(10, failures - 2))
                        * (0.5 + ThreadLocalRandom.current().nextDouble() / 2));
        group.vertx().setTimer(Math.max(1, delay), id -> connect());
    }

    private void settle() {
        if (pending) {
            pending = false;
            group.connectDone();
        }
    }

    private void cancelHeadTimer() {
        if (headTimer >= 0) {
            group.vertx().cancelTimer(headTimer);
            headTimer = -1;
        }
    }
}
