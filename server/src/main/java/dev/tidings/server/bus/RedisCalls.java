package dev.tidings.server.bus;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

/** Commands to Redis through Quarkus's pooled client, each bounded by {@code tidings.redis.timeout}. */
final class RedisCalls {

    private final Redis redis;
    private final long timeoutMillis;

    RedisCalls(Redis redis, Duration timeout) {
        this.redis = redis;
        this.timeoutMillis = timeout.toMillis();
    }

    long timeoutMillis() {
        return timeoutMillis;
    }

    Future<Response> send(Request request) {
        return redis.send(request).timeout(timeoutMillis, TimeUnit.MILLISECONDS);
    }

    /** Pipelined: every request written at once on one connection, the answers read in order. */
    Future<List<Response>> batch(List<Request> requests) {
        return redis.batch(requests).timeout(timeoutMillis, TimeUnit.MILLISECONDS);
    }

    /** {@code EVAL}: Redis caches the compiled script by its digest, so sending the text is cheap. */
    static Request eval(String script, List<String> keys, Object... args) {
        Request request = Request.cmd(Command.EVAL).arg(script).arg(keys.size());
        keys.forEach(request::arg);
        for (Object arg : args) {
            request.arg(String.valueOf(arg));
        }
        return request;
    }
}
