package dev.tidings.bench.load;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import org.HdrHistogram.Histogram;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;

/**
 * Publishes timestamped, numbered events over keep-alive HTTP connections, either at a set rate
 * (open loop: late responses do not slow the schedule) or with a fixed number of requests in
 * flight (closed loop, to find the publish throughput). Everything runs on one event-loop
 * context, so its counters need no locking.
 */
public final class Publisher implements AutoCloseable {

    public static final long REQUEST_TIMEOUT_MILLIS = 10_000;

    /** Refusals of one event (503 or 429) retried before the publisher gives it up. */
    static final int MAX_REFUSALS = 20;
    static final long MAX_RETRY_AFTER_MILLIS = 5_000;

    /**
     * What the publisher did since it started or since the previous {@link #takeWindow()}.
     *
     * @param refused answers 503 or 429 that were retried (only when retrying refusals)
     * @param acceptedAfterRefusal events accepted on a retry after one or more refusals
     */
    public record Window(long accepted, long failed, long skipped, Map<String, Long> failures, Histogram roundTrip,
            long refused, long acceptedAfterRefusal) {
    }

    private final Vertx vertx;
    private final Context context;
    private final Endpoint endpoint;
    private final HttpClient client;
    private Histogram roundTrip = new Histogram(1, DeliveryStats.MAX_MICROS, 3);
    private Map<String, Long> failures = new TreeMap<>();
    private long accepted;
    private long failed;
    private long skipped;
    private long refused;
    private long acceptedAfterRefusal;
    private int inFlight;
    private boolean retryRefused;
    /** Which replica the next publish goes to: they take turns, as behind a Service. */
    private int turn;
    private boolean running;
    private long timer = -1;

    /** @param context the event-loop context everything of the publisher's runs on */
    public Publisher(Vertx vertx, Context context, Endpoint endpoint, int connections, String localAddress) {
        this.vertx = vertx;
        this.endpoint = endpoint;
        this.context = context;
        HttpClientOptions options = new HttpClientOptions()
                .setKeepAlive(true)
                // Close idle connections before a server does (Node.js after 5 s), so no
                // publish is ever sent on a connection the server is closing.
                .setKeepAliveTimeout(3)
                .setTcpNoDelay(true)
                .setLocalAddress(localAddress)
                .setConnectTimeout((int) REQUEST_TIMEOUT_MILLIS);
        this.client = vertx.createHttpClient(options, new PoolOptions().setHttp1MaxSize(connections));
    }

    /**
     * Makes a publish answered {@code 503} or {@code 429} (the event was not accepted) go again after
     * its {@code Retry-After}, as a careful publisher does, until accepted or refused
     * {@link #MAX_REFUSALS} times; other failures are not retried, since the event may have been
     * stored before the answer was lost.
     */
    public Publisher retryRefused() {
        onContext(() -> retryRefused = true);
        return this;
    }

    /**
     * Publishes {@code perSecond} events a second, to the topic {@code chooser} picks each time,
     * until {@link #stop()}. When {@code maxInFlight} requests are already waiting a due event is
     * skipped (and counted) rather than queued, so a slow server cannot make the schedule drift.
     */
    public void startRate(double perSecond, Supplier<TopicLedger> chooser, int maxInFlight) {
        context.runOnContext(ignored -> {
            running = true;
            long start = System.nanoTime();
            long[] issued = {0};
            timer = vertx.setPeriodic(5, id -> {
                long due = (long) ((System.nanoTime() - start) * perSecond / 1e9) - issued[0];
                for (long i = 0; i < due; i++) {
                    issued[0]++;
                    if (inFlight >= maxInFlight) {
                        skipped++;
                    } else {
                        publish(chooser.get(), null);
                    }
                }
            });
        });
    }

    /** Keeps {@code concurrency} publishes in flight until {@link #stop()}. */
    public void startClosedLoop(int concurrency, Supplier<TopicLedger> chooser) {
        context.runOnContext(ignored -> {
            running = true;
            for (int i = 0; i < concurrency; i++) {
                publish(chooser.get(), chooser);
            }
        });
    }

    /** Stops issuing new publishes; those in flight complete. */
    public void stop() {
        onContext(() -> {
            running = false;
            if (timer >= 0) {
                vertx.cancelTimer(timer);
                timer = -1;
            }
            return null;
        });
    }

    /** Waits (bounded) until no publish is in flight; returns how many still are. */
    public int awaitIdle(long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        int waiting;
        while ((waiting = onContext(() -> inFlight)) > 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        return waiting;
    }

    /** The counts and round trips since the previous call, and starts a new window. */
    public Window takeWindow() {
        return onContext(() -> {
            Window window = new Window(accepted, failed, skipped, failures, roundTrip, refused, acceptedAfterRefusal);
            accepted = 0;
            failed = 0;
            skipped = 0;
            refused = 0;
            acceptedAfterRefusal = 0;
            failures = new TreeMap<>();
            roundTrip = new Histogram(1, DeliveryStats.MAX_MICROS, 3);
            return window;
        });
    }

    private int nextPort() {
        List<Integer> ports = endpoint.ports();
        turn = (turn + 1) % ports.size();
        return ports.get(turn);
    }

    private void publish(TopicLedger ledger, Supplier<TopicLedger> next) {
        inFlight++;
        send(ledger, ledger.nextSequence(), 0, next);
    }

    /** One attempt at publishing {@code sequence}; the event counts as in flight until it is settled. */
    private void send(TopicLedger ledger, long sequence, int refusals, Supplier<TopicLedger> next) {
        long sent = System.nanoTime();
        String body = endpoint.publishBody(Payload.json(sequence, sent));
        RequestOptions request = new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setHost(endpoint.host())
                .setPort(nextPort())
                .setURI(endpoint.publishPath(ledger.topic()))
                .putHeader("Content-Type", "application/json")
                .setIdleTimeout(REQUEST_TIMEOUT_MILLIS);
        endpoint.publishHeaders().forEach(request::putHeader);
        client.request(request)
                .compose(req -> req.send(body))
                .compose(response -> response.body().map(ignored -> response))
                .onComplete(result -> {
                    int status = result.succeeded() ? result.result().statusCode() : 0;
                    if (retryRefused && (status == 503 || status == 429) && refusals < MAX_REFUSALS) {
                        refused++;
                        vertx.setTimer(retryAfterMillis(result.result().getHeader("Retry-After")),
                                id -> send(ledger, sequence, refusals + 1, next));
                        return;
                    }
                    inFlight--;
                    if (status / 100 == 2) {
                        ledger.acknowledged(sequence);
                        accepted++;
                        if (refusals > 0) {
                            acceptedAfterRefusal++;
                        }
                        roundTrip.recordValue(Math.max(1, Math.min(DeliveryStats.MAX_MICROS,
                                (System.nanoTime() - sent) / 1000)));
                    } else {
                        ledger.failed();
                        failed++;
                        String reason = result.succeeded() ? "HTTP " + status : result.cause().getClass().getSimpleName();
                        failures.merge(reason, 1L, Long::sum);
                    }
                    if (next != null && running) {
                        publish(next.get(), next);
                    }
                });
    }

    /** {@code Retry-After} in seconds, bounded; one second when absent or not a number. */
    static long retryAfterMillis(String header) {
        try {
            long seconds = header == null ? 1 : Long.parseLong(header.trim());
            return Math.max(1, Math.min(MAX_RETRY_AFTER_MILLIS, seconds * 1000));
        } catch (NumberFormatException e) {
            return 1000;
        }
    }

    private <T> T onContext(Supplier<T> action) {
        CompletableFuture<T> result = new CompletableFuture<>();
        context.runOnContext(ignored -> {
            try {
                result.complete(action.get());
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        try {
            return result.get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("publisher did not answer", e);
        }
    }

    @Override
    public void close() {
        stop();
        client.close();
    }
}
