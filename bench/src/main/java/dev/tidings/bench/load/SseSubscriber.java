package dev.tidings.bench.load;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;

import dev.tidings.bench.sse.SseResponse;
import dev.tidings.bench.sse.SseScanner;
import io.netty.buffer.ByteBuf;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;

/**
 * One SSE subscription on a raw TCP connection: writes the GET itself and scans the response
 * bytes as they arrive, with no thread and almost no allocation of its own. Like an
 * {@code EventSource} without an SDK it reconnects when the stream ends or fails, sending the
 * last event id it saw as {@code Last-Event-ID}.
 *
 * <p>All callbacks run on the event loop the connection belongs to.
 */
final class SseSubscriber implements SseResponse.Handler {

    /** First reconnect after a random delay up to this, then doubling per failure up to the cap. */
    static final long FIRST_RETRY_MAX_MILLIS = 250;
    static final long RETRY_CAP_MILLIS = 2000;
    static final long HEAD_TIMEOUT_MILLIS = 10_000;

    private final SubscriberGroup group;
    private final NetClient client;
    private final TopicLedger ledger;
    private final SeqTracker tracker = new SeqTracker();
    private volatile NetSocket socket;
    private volatile boolean stopped;
    private SseResponse response;
    private DeliveryStats.Loop loop;
    private String lastEventId;
    private boolean open;
    private volatile boolean everOpened;
    /** Between a connection attempt and its response head (or its failure). */
    private boolean pending;
    private int failures;
    private long headTimer = -1;

    SseSubscriber(SubscriberGroup group, NetClient client, TopicLedger ledger) {
        this.group = group;
        this.client = client;
        this.ledger = ledger;
    }

    TopicLedger ledger() {
        return ledger;
    }

    SeqTracker tracker() {
        return tracker;
    }

    /** Whether a stream was ever open: one that never was could not lose events. */
    boolean everOpened() {
        return everOpened;
    }

    void connect() {
        if (stopped) {
            return;
        }
        pending = true;
        group.connecting();
        Endpoint endpoint = group.endpoint();
        client.connect(endpoint.port(), endpoint.host()).onComplete(result -> {
            if (result.failed()) {
                settle();
                group.connectFailed();
                retryLater();
                return;
            }
            NetSocket s = result.result();
            if (stopped) {
                settle();
                s.close();
                return;
            }
            socket = s;
            response = new SseResponse(this);
            loop = group.stats().loop();
            s.handler(buffer -> onData(s, buffer));
            s.closeHandler(ignored -> onClose(s));
            s.exceptionHandler(ignored -> {
                // the close handler follows
            });
            s.write(Buffer.buffer(request(endpoint)));
            headTimer = group.vertx().setTimer(HEAD_TIMEOUT_MILLIS, id -> {
                headTimer = -1;
                if (!open && socket == s) {
                    group.headTimedOut();
                    s.close();
                }
            });
        });
    }

    private byte[] request(Endpoint endpoint) {
        StringBuilder request = new StringBuilder(160)
                .append("GET ").append(endpoint.subscribePath(ledger.topic())).append(" HTTP/1.1\r\n")
                .append("Host: ").append(endpoint.host()).append(':').append(endpoint.port()).append("\r\n")
                .append("Accept: text/event-stream\r\n")
                .append("Cache-Control: no-cache\r\n");
        if (lastEventId != null) {
            request.append("Last-Event-ID: ").append(lastEventId).append("\r\n");
        }
        return request.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    private void onData(NetSocket s, Buffer buffer) {
        if (socket != s) {
            return;
        }
        ByteBuf bytes = buffer.getByteBuf();
        try {
            if (bytes.hasArray()) {
                response.feed(bytes.array(), bytes.arrayOffset() + bytes.readerIndex(), bytes.readableBytes());
            } else {
                byte[] copy = new byte[bytes.readableBytes()];
                bytes.getBytes(bytes.readerIndex(), copy);
                response.feed(copy, 0, copy.length);
            }
        } catch (IllegalStateException e) {
            group.protocolError(e.getMessage());
            s.close();
        }
    }

    @Override
    public void onHead(int status) {
        cancelHeadTimer();
        settle();
        if (status == 200) {
            open = true;
            everOpened = true;
            failures = 0;
            group.streamOpened();
        } else {
            group.rejected(status);
            socket.close();
        }
    }

    @Override
    public void onEvent(byte[] data, int length, String type) {
        if (type.equals("reset")) {
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

    @Override
    public void onBodyEnd() {
        // The server ended the stream: reconnect as an EventSource does.
        NetSocket s = socket;
        if (s != null) {
            s.close();
        }
    }

    private void onClose(NetSocket s) {
        if (socket != s) {
            return;
        }
        cancelHeadTimer();
        settle();
        socket = null;
        if (response != null && response.lastEventId() != null) {
            lastEventId = response.lastEventId();
        }
        response = null;
        if (open) {
            open = false;
            group.closed(stopped);
        }
        retryLater();
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

    /** Closes the connection for good; safe from any thread. */
    void stop() {
        stopped = true;
        NetSocket s = socket;
        if (s != null) {
            s.close();
        }
    }
}
