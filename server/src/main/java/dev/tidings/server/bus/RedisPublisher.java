package dev.tidings.server.bus;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import dev.tidings.server.hub.Event;
import dev.tidings.server.hub.HubUnavailableException;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

/**
 * Appends events to the stream, group-committed: while one pipelined batch is on its way to Redis,
 * publishes wait, and the next batch takes all of them (up to {@link #BATCH}) in one write and one
 * round trip. A publish completes only once Redis has answered with its id.
 */
final class RedisPublisher {

    private static final int BATCH = 256;

    private final RedisCalls calls;
    private final List<String> keys;
    private final int maxLength;
    private final int maxWaiting;
    private final ArrayDeque<Pending> waiting = new ArrayDeque<>();
    private boolean sending;

    private record Pending(String topic, String type, String data, CompletableFuture<Event> result) {
    }

    RedisPublisher(RedisCalls calls, RedisKeys keys, int maxLength, int maxWaiting) {
        this.calls = calls;
        this.keys = List.of(keys.events, keys.lastId, keys.topics);
        this.maxLength = maxLength;
        this.maxWaiting = maxWaiting;
    }

    CompletionStage<Event> publish(String topic, String type, String data) {
        Pending pending = new Pending(topic, type, data, new CompletableFuture<>());
        boolean send;
        synchronized (this) {
            if (waiting.size() >= maxWaiting) {
                return CompletableFuture.failedFuture(new HubUnavailableException(
                        "Redis is behind on storing events; the event was not accepted, publish it again shortly"));
            }
            waiting.add(pending);
            send = !sending;
            sending = true;
        }
        if (send) {
            sendBatch();
        }
        return pending.result();
    }

    private void sendBatch() {
        List<Pending> batch = new ArrayList<>();
        synchronized (this) {
            while (batch.size() < BATCH && !waiting.isEmpty()) {
                batch.add(waiting.poll());
            }
            if (batch.isEmpty()) {
                sending = false;
                return;
            }
        }
        List<Request> requests = new ArrayList<>(batch.size());
        for (Pending pending : batch) {
            requests.add(RedisCalls.eval(RedisKeys.PUBLISH, keys, maxLength, pending.topic(), pending.type(), pending.data()));
        }
        calls.batch(requests).onComplete(answers -> {
            if (answers.succeeded()) {
                for (int i = 0; i < batch.size(); i++) {
                    complete(batch.get(i), answers.result().get(i));
                }
            } else {
                HubUnavailableException failure = new HubUnavailableException(
                        "Redis did not store the event (" + answers.cause().getMessage() + "); publish it again shortly",
                        answers.cause());
                batch.forEach(pending -> pending.result().completeExceptionally(failure));
            }
            sendBatch();
        });
    }

    private static void complete(Pending pending, Response id) {
        pending.result().complete(StreamEntry.event(id.toString(), pending.topic(), pending.type(), pending.data()));
    }
}
