package dev.tidings.server.bus;

import java.util.List;
import java.util.concurrent.TimeUnit;

import org.jboss.logging.Logger;

import dev.tidings.server.hub.BusListener;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

/**
 * This replica's one reader of the events stream: {@code XREAD BLOCK} on a connection of its own,
 * from the last id it saw, each entry handed to the listener in id order. When Redis cannot be
 * reached it tries again from that same id, so no stored event is skipped; when the history it
 * read from is gone (the chain breaks, see {@link RedisKeys}) it tells the listener so.
 */
final class RedisStreamReader {

    private static final Logger LOG = Logger.getLogger(RedisStreamReader.class);
    private static final int READ_BATCH = 512;
    private static final long BLOCK_MILLIS = 1000;
    private static final long RECONNECT_MILLIS = 500;
    /** How long to wait before reading again while this replica's fan-out is full. */
    private static final long BACKLOG_PAUSE_MILLIS = 5;

    private final Vertx vertx;
    private final Redis redis;
    private final RedisKeys keys;
    private final long timeoutMillis;
    private BusListener listener;
    private RedisConnection connection;
    /** The id of the last entry read; empty for an empty history; null before the first connection. */
    private String lastId;
    /** Completed once the first connection fixed where reading starts. */
    private final Promise<Void> positioned = Promise.promise();
    private volatile boolean connected;
    private volatile boolean stopped;
    private boolean outageLogged;

    RedisStreamReader(Vertx vertx, Redis redis, RedisKeys keys, long timeoutMillis) {
        this.vertx = vertx;
        this.redis = redis;
        this.keys = keys;
        this.timeoutMillis = timeoutMillis;
    }

    void start(BusListener listener) {
        this.listener = listener;
        connect();
    }

    /**
     * Completes once this reader knows where it starts: from then on every entry after that point
     * reaches the listener. A replay must wait for it, or an event stored between the replay's read
     * and the reader's start would reach neither.
     */
    Future<Void> positioned() {
        return positioned.future();
    }

    /** Whether the last read succeeded: Redis is reachable. */
    boolean isConnected() {
        return connected;
    }

    void stop() {
        stopped = true;
        if (connection != null) {
            connection.close();
        }
    }

    private void connect() {
        if (stopped) {
            return;
        }
        redis.connect().timeout(timeoutMillis, TimeUnit.MILLISECONDS)
                .onSuccess(opened -> {
                    connection = opened;
                    continueHistory(opened).onSuccess(ignored -> read(opened)).onFailure(failure -> failed(opened, failure));
                })
                .onFailure(failure -> failed(null, failure));
    }

    /**
     * Where to read from: the newest id on the first connection; after an outage the last id read,
     * unless the history it belongs to was replaced meanwhile.
     */
    private Future<Void> continueHistory(RedisConnection opened) {
        return send(opened, Request.cmd(Command.GET).arg(keys.lastId)).compose(newestAnswer -> {
            String newest = newestAnswer == null ? "" : newestAnswer.toString();
            if (lastId == null) {
                lastId = newest;
                positioned.complete();
                return Future.succeededFuture();
            }
            if (lastId.equals(newest)) {
                return Future.succeededFuture();
            }
            return send(opened, Request.cmd(Command.XRANGE).arg(keys.events).arg(after(lastId)).arg("+").arg("COUNT").arg(1))
                    .map(next -> {
                        List<StreamEntry> entries = StreamEntry.all(next);
                        if (entries.isEmpty() || !entries.get(0).follows(lastId)) {
                            historyReplaced(newest);
                        }
                        return null;
                    });
        });
    }

    private void read(RedisConnection opened) {
        if (stopped) {
            return;
        }
        if (listener.fanOutIsFull()) {
            vertx.setTimer(BACKLOG_PAUSE_MILLIS, id -> read(opened));
            return;
        }
        Request xread = Request.cmd(Command.XREAD).arg("COUNT").arg(READ_BATCH).arg("BLOCK").arg(BLOCK_MILLIS)
                .arg("STREAMS").arg(keys.events).arg(lastId.isEmpty() ? "0-0" : lastId);
        opened.send(xread).timeout(BLOCK_MILLIS + timeoutMillis, TimeUnit.MILLISECONDS)
                .onSuccess(answer -> {
                    reachable();
                    // A timed-out block answers null; otherwise [[stream, [entry, …]]].
                    if (answer != null && answer.size() > 0) {
                        deliver(StreamEntry.all(answer.get(0).get(1)));
                    }
                    read(opened);
                })
                .onFailure(failure -> failed(opened, failure));
    }

    private void deliver(List<StreamEntry> entries) {
        for (StreamEntry entry : entries) {
            if (!entry.follows(lastId)) {
                historyReplaced(entry.previous());
            }
            lastId = entry.id();
            if (entry.event() != null) {
                listener.event(entry.event());
            }
        }
    }

    private void historyReplaced(String continueFrom) {
        LOG.warnf("The history in Redis was replaced (lost, flushed or failed over): events after %s may be "
                + "missing, so open streams end and resume with a reset", lastId.isEmpty() ? "the start" : lastId);
        lastId = continueFrom;
        listener.historyReplaced();
    }

    private void reachable() {
        connected = true;
        if (outageLogged) {
            outageLogged = false;
            LOG.infof("Redis is reachable again: reading the history on from %s", lastId.isEmpty() ? "its start" : lastId);
        }
    }

    private void failed(RedisConnection opened, Throwable failure) {
        connected = false;
        if (opened != null) {
            opened.close();
        }
        if (stopped) {
            return;
        }
        if (!outageLogged) {
            outageLogged = true;
            LOG.warnf("Redis cannot be reached (%s): publishes get 503 and readiness is DOWN until it can; "
                    + "open streams stay open", failure.getMessage());
        }
        vertx.setTimer(RECONNECT_MILLIS, id -> connect());
    }

    private Future<Response> send(RedisConnection opened, Request request) {
        return opened.send(request).timeout(timeoutMillis, TimeUnit.MILLISECONDS);
    }

    /** The exclusive range start after {@code id}, or the stream's start for an empty history. */
    private static String after(String id) {
        return id.isEmpty() ? "-" : "(" + id;
    }
}
