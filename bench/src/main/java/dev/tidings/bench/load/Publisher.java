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

    /** What the publisher did since it started or since the previous {@link #takeWindow()}. */
    public record Window(long accepted, long failed, long skipped, Map<String, Long> failures, Histogram roundTrip) {
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
    private int inFlight;
    /** Which replica the next publish goes to: they take turns, as behind a Service. */
    private int turn;
    private boolean running;
    private long timer = -1;

    public Publisher(Vertx vertx, Endpoint endpoint, int connections, String localAddress) {
        this.vertx = vertx;
        this.endpoint = endpoint;
        this.context = vertx.getOrCreateContext();
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
            Window window = new Window(accepted, failed, skipped, failures, roundTrip);
            accepted = 0;
            failed = 0;
            skipped = 0;
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
        long sequence = ledger.nextSequence();
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
        inFlight++;
        client.request(request)
                .compose(req -> req.send(body))
                .compose(response -> response.body().map(ignored -> response.statusCode()))
                .onComplete(result -> {
                    inFlight--;
                    if (result.succeeded() && result.result() / 100 == 2) {
                        ledger.acknowledged(sequence);
                        accepted++;
                        roundTrip.recordValue(Math.max(1, Math.min(DeliveryStats.MAX_MICROS,
                                (System.nanoTime() - sent) / 1000)));
                    } else {
                        ledger.failed();
                        failed++;
                        String reason = result.succeeded() ? "HTTP " + result.result()
                                : result.cause().getClass().getSimpleName();
                        failures.merge(reason, 1L, Long::sum);
                    }
                    if (next != null && running) {
                        publish(next.get(), next);
                    }
                });
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
