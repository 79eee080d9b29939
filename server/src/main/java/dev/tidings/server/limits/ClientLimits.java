package dev.tidings.server.limits;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.inject.Singleton;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import dev.tidings.server.config.TidingsConfig;
import dev.tidings.server.metrics.TidingsMetrics;
import dev.tidings.server.security.Caller;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.quarkus.runtime.Startup;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.vertx.core.http.HttpServerRequest;

/**
 * Per-client limits on publishing (a token bucket per client, Bucket4j) and on open streams. A
 * client is a token's subject, else the address the request came from.
 */
@Startup
@Singleton
// Caffeine builds the cache and node classes this cache's settings need by name: a native image must keep them.
@RegisterForReflection(classNames = { "com.github.benmanes.caffeine.cache.SSMSA", "com.github.benmanes.caffeine.cache.PSAMS" })
public class ClientLimits {

    private static final String FORWARDED_FOR = "X-Forwarded-For";
    /** Clients whose publish budgets are kept; an idle client's full bucket is forgotten. */
    private static final int MAX_CLIENTS = 100_000;
    private static final Duration IDLE = Duration.ofMinutes(10);

    private final TidingsConfig.Limits config;
    private final Duration streamRetry;
    private final TidingsMetrics metrics;
    private final ClientAddress addresses;
    // Upkeep on the publishing thread: on the common pool it wakes a thread and takes the cache's lock
    // from under the event loops every few publishes.
    private final Cache<String, Bucket> publishBudgets = Caffeine.newBuilder()
            .maximumSize(MAX_CLIENTS).expireAfterAccess(IDLE).executor(Runnable::run).build();
    private final ConcurrentHashMap<String, Integer> openStreams = new ConcurrentHashMap<>();

    public ClientLimits(TidingsConfig config, TidingsMetrics metrics) {
        this.config = config.limits();
        this.streamRetry = config.sse().retry();
        this.metrics = metrics;
        this.addresses = new ClientAddress(this.config.trustedProxies().orElse(List.of()));
    }

    /** @throws RateLimitedException when the client has used up its publishes for now */
    public void checkPublish(Caller caller, HttpServerRequest request) {
        Bucket bucket = publishBudgets.get(client(caller, request), key -> Bucket.builder()
                .addLimit(Bandwidth.builder().capacity(config.publishBurst())
                        .refillGreedy(config.publishRate(), Duration.ofSeconds(1)).build())
                .build());
        ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
        if (!probe.isConsumed()) {
            metrics.publishOverLimit();
            throw new RateLimitedException("This client may publish " + config.publishRate()
                    + " events per second (bursts of " + config.publishBurst() + ")",
                    Duration.ofNanos(probe.getNanosToWaitForRefill()));
        }
    }

    /**
     * Counts a stream the client opens; the returned action, run once or more, gives it back.
     *
     * @throws RateLimitedException when the client already holds its maximum of streams
     */
    public Runnable openStream(Caller caller, HttpServerRequest request) {
        String client = client(caller, request);
        AtomicBoolean admitted = new AtomicBoolean();
        openStreams.compute(client, (key, open) -> {
            int count = open == null ? 0 : open;
            if (count >= config.streams()) {
                return open;
            }
            admitted.set(true);
            return count + 1;
        });
        if (!admitted.get()) {
            metrics.streamOverLimit();
            throw new RateLimitedException("This client may hold " + config.streams() + " open streams", streamRetry);
        }
        AtomicBoolean released = new AtomicBoolean();
        return () -> {
            if (released.compareAndSet(false, true)) {
                openStreams.computeIfPresent(client, (key, open) -> open == 1 ? null : open - 1);
            }
        };
    }

    /** Open streams counted for clients right now: every one is given back when its stream closes. */
    int countedStreams() {
        return openStreams.values().stream().mapToInt(Integer::intValue).sum();
    }

    private String client(Caller caller, HttpServerRequest request) {
        return caller.subject().map(subject -> "sub:" + subject)
                .orElseGet(() -> "ip:" + addresses.of(request.remoteAddress().hostAddress(), request.getHeader(FORWARDED_FOR)));
    }
}
