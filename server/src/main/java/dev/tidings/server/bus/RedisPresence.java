package dev.tidings.server.bus;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.jboss.logging.Logger;

import dev.tidings.server.hub.BusListener;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

/**
 * Chat members counted across replicas. Each replica keeps its own count per room in the room's
 * hash and checks in on a schedule; a room's total sums the replicas that checked in recently, so
 * a replica that died without a goodbye stops counting after {@code tidings.redis.replica-expiry}.
 * A change is announced on a Pub/Sub channel, and every replica with members in that room reads the
 * new total. Per room one update is in flight at a time, so totals reach members in order.
 */
final class RedisPresence {

    private static final Logger LOG = Logger.getLogger(RedisPresence.class);
    private static final long RECONNECT_MILLIS = 500;

    private final Vertx vertx;
    private final Redis redis;
    private final RedisCalls calls;
    private final RedisKeys keys;
    private final String replica;
    private final long expiryMillis;
    private BusListener listener;
    private RedisConnection subscription;
    private long checkInTimer = -1;
    private volatile boolean stopped;

    // Guarded by this.
    private final Map<String, Integer> local = new HashMap<>();
    private final Map<String, Integer> told = new HashMap<>();
    private final Set<String> updating = new HashSet<>();
    private final Set<String> updateAgain = new HashSet<>();
    private final Set<String> mustTell = new HashSet<>();

    RedisPresence(Vertx vertx, Redis redis, RedisCalls calls, RedisKeys keys, String replica, long expiryMillis) {
        this.vertx = vertx;
        this.redis = redis;
        this.calls = calls;
        this.keys = keys;
        this.replica = replica;
        this.expiryMillis = expiryMillis;
    }

    void start(BusListener listener) {
        this.listener = listener;
        subscribe();
        checkInTimer = vertx.setPeriodic(Math.max(1, expiryMillis / 3), id -> checkIn());
        checkIn();
    }

    void change(String room, int delta) {
        synchronized (this) {
            int count = local.merge(room, delta, Integer::sum);
            if (count <= 0) {
                local.remove(room);
            }
            mustTell.add(room);
        }
        update(room);
    }

    /** Takes this replica's members out of every room; best effort, at shutdown. */
    void stop() {
        stopped = true;
        vertx.cancelTimer(checkInTimer);
        if (subscription != null) {
            subscription.close();
        }
        List<Request> goodbye = new ArrayList<>();
        synchronized (this) {
            local.keySet().forEach(room -> goodbye.add(Request.cmd(Command.HDEL).arg(keys.room(room)).arg(replica)));
            local.clear();
        }
        goodbye.add(Request.cmd(Command.ZREM).arg(keys.replicas).arg(replica));
        try {
            calls.batch(goodbye).toCompletionStage().toCompletableFuture().get(calls.timeoutMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            LOG.debugf("Chat members of this replica were not taken out of Redis (%s); they expire", e.getMessage());
        }
    }

    /** Checks in, and reads every room with members here again: a replica that died no longer counts. */
    private void checkIn() {
        calls.send(RedisCalls.eval(RedisKeys.CHECK_IN, List.of(keys.replicas), replica, expiryMillis))
                .onFailure(failure -> LOG.debugf("Presence check-in failed: %s", failure.getMessage()));
        List<String> rooms;
        synchronized (this) {
            rooms = new ArrayList<>(local.keySet());
        }
        rooms.forEach(this::update);
    }

    private void update(String room) {
        int count;
        synchronized (this) {
            if (stopped) {
                return;
            }
            if (!updating.add(room)) {
                updateAgain.add(room);
                return;
            }
            count = local.getOrDefault(room, 0);
        }
        calls.send(RedisCalls.eval(RedisKeys.MEMBERS, List.of(keys.room(room), keys.replicas), replica, count, expiryMillis,
                keys.presenceChannel, room)).onComplete(answer -> {
                    if (answer.succeeded()) {
                        tell(room, answer.result().toInteger());
                    } else {
                        // The next check-in (or Pub/Sub reconnect) sets the count again.
                        LOG.debugf("Members of room %s not counted in Redis: %s", room, answer.cause().getMessage());
                    }
                    boolean again;
                    synchronized (this) {
                        updating.remove(room);
                        again = updateAgain.remove(room);
                    }
                    if (again) {
                        update(room);
                    }
                });
    }

    private void tell(String room, int total) {
        synchronized (this) {
            boolean changed = !Integer.valueOf(total).equals(told.get(room));
            if (!mustTell.remove(room) && !changed) {
                return;
            }
            if (local.containsKey(room)) {
                told.put(room, total);
            } else {
                told.remove(room);
            }
        }
        listener.members(room, total);
    }

    private void subscribe() {
        if (stopped) {
            return;
        }
        redis.connect().timeout(calls.timeoutMillis(), TimeUnit.MILLISECONDS).onSuccess(opened -> {
            subscription = opened;
            opened.handler(this::announced);
            opened.exceptionHandler(failure -> resubscribe(opened));
            opened.endHandler(ended -> resubscribe(opened));
            opened.send(Request.cmd(Command.SUBSCRIBE).arg(keys.presenceChannel))
                    .timeout(calls.timeoutMillis(), TimeUnit.MILLISECONDS)
                    // Announcements may have been missed while unsubscribed: read every room again.
                    .onSuccess(subscribed -> checkIn())
                    .onFailure(failure -> resubscribe(opened));
        }).onFailure(failure -> vertx.setTimer(RECONNECT_MILLIS, id -> subscribe()));
    }

    private void resubscribe(RedisConnection closed) {
        if (subscription != closed) {
            return;
        }
        subscription = null;
        closed.close();
        vertx.setTimer(RECONNECT_MILLIS, id -> subscribe());
    }

    /** {@code ["message", channel, "<replica> <room>"]}: another replica's count of a room changed. */
    private void announced(Response message) {
        if (message.size() != 3 || !"message".equals(message.get(0).toString())) {
            return;
        }
        String payload = message.get(2).toString();
        int space = payload.indexOf(' ');
        if (space < 0 || payload.substring(0, space).equals(replica)) {
            return;
        }
        String room = payload.substring(space + 1);
        boolean here;
        synchronized (this) {
            here = local.containsKey(room);
        }
        if (here) {
            update(room);
        }
    }
}
