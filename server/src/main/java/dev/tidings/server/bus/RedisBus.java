package dev.tidings.server.bus;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.inject.Typed;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import dev.tidings.server.config.TidingsConfig;
import dev.tidings.server.hub.Bus;
import dev.tidings.server.hub.BusListener;
import dev.tidings.server.hub.Event;
import dev.tidings.server.hub.HistoryGapException;
import dev.tidings.server.hub.HistoryPage;
import dev.tidings.server.hub.HubUnavailableException;
import dev.tidings.server.hub.Replay;
import dev.tidings.server.hub.TopicFilter;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;

/**
 * The scale-out bus: every replica shares one history in a Redis Stream ({@code DESIGN.md}, "The
 * hub"). A publish is appended by a script that also chains it to the entry before it; one reader
 * per replica fans the stream out in-process; replay and history reads scan the stream. Nothing
 * here blocks: every call is a Vert.x future on Quarkus's Redis client.
 */
@Singleton
@Typed(RedisBus.class)
public class RedisBus implements Bus {

    private static final Logger LOG = Logger.getLogger(RedisBus.class);
    /** How often, at most, the oldest events are trimmed by age and the topics listing is pruned. */
    private static final Duration MAX_TRIM_PERIOD = Duration.ofSeconds(10);

    private final Vertx vertx;
    private final RedisCalls calls;
    private final RedisKeys keys;
    private final Duration ttl;
    private final RedisPublisher publisher;
    private final RedisStreamReader reader;
    private final RedisHistory history;
    private final RedisPresence presence;
    private long trimTimer = -1;

    public RedisBus(TidingsConfig config, Vertx vertx, Redis redis) {
        TidingsConfig.Redis settings = config.redis();
        this.vertx = vertx;
        this.calls = new RedisCalls(redis, settings.timeout());
        this.keys = new RedisKeys(settings.prefix());
        this.ttl = config.history().ttl();
        this.publisher = new RedisPublisher(calls, keys, config.history().size(), config.publish().maxQueued());
        this.reader = new RedisStreamReader(vertx, redis, keys, settings.timeout().toMillis());
        this.history = new RedisHistory(calls, keys);
        String replica = UUID.randomUUID().toString().substring(0, 13);
        this.presence = new RedisPresence(vertx, redis, calls, keys, replica, settings.replicaExpiry().toMillis());
        LOG.infof("Redis bus: stream %s, replica %s", keys.events, replica);
    }

    @Override
    public void start(BusListener listener) {
        reader.start(listener);
        presence.start(listener);
        // An event outlives the TTL by at most one period: ten seconds, or the TTL when that is shorter.
        long period = Math.max(1, Math.min(MAX_TRIM_PERIOD.toMillis(), ttl.toMillis()));
        trimTimer = vertx.setPeriodic(period, id -> trim());
    }

    @Override
    public void stop() {
        vertx.cancelTimer(trimTimer);
        reader.stop();
        presence.stop();
    }

    @Override
    public CompletionStage<Event> publish(String topic, String type, String data) {
        return publisher.publish(topic, type, data);
    }

    @Override
    public CompletionStage<Replay> replay(String lastEventId, TopicFilter filter, int maxEvents) {
        // Read only once the reader is positioned: what is stored after this read then reaches the stream live.
        return unavailableOnFailure(reader.positioned().timeout(calls.timeoutMillis(), TimeUnit.MILLISECONDS)
                .compose(positioned -> history.replay(lastEventId, filter, maxEvents)));
    }

    @Override
    public CompletionStage<HistoryPage> read(String topic, Optional<String> afterId, int limit, long maxBytes) {
        return unavailableOnFailure(history.read(topic, afterId, limit, maxBytes));
    }

    @Override
    public CompletionStage<List<Event>> last(String topic, int count) {
        return unavailableOnFailure(history.last(topic, count));
    }

    @Override
    public CompletionStage<Map<String, String>> latestIds() {
        return unavailableOnFailure(history.latestIds());
    }

    @Override
    public void changeMembers(String room, int delta) {
        presence.change(room, delta);
    }

    @Override
    public boolean isReady() {
        return reader.isConnected();
    }

    /** The event is in Redis once acknowledged: a draining replica's publishes reach the others' subscribers. */
    @Override
    public boolean outlivesReplica() {
        return true;
    }

    /** Events older than the history's TTL leave the stream; topics none of whose events remain leave the listing. */
    private void trim() {
        long oldestKept = System.currentTimeMillis() - ttl.toMillis();
        calls.send(RedisCalls.eval(RedisKeys.TRIM, List.of(keys.events, keys.topics), oldestKept + "-0"))
                .onFailure(failure -> LOG.debugf("History trim skipped: %s", failure.getMessage()));
    }

    /** A Redis failure on a read is the service being unavailable (503); a history gap stays what it is. */
    private static <T> CompletionStage<T> unavailableOnFailure(Future<T> read) {
        return read.recover(failure -> Future.failedFuture(failure instanceof HistoryGapException ? failure
                : new HubUnavailableException("Redis did not answer (" + failure.getMessage() + "); try again shortly",
                        failure)))
                .toCompletionStage();
    }
}
