package dev.tidings.server.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/** A real Redis ({@link RedisServer}) for a {@code @QuarkusTest} profile, and the server pointed at it with the Redis bus. */
public class RedisTestResource implements QuarkusTestResourceLifecycleManager {

    private RedisServer redis;

    @Override
    public Map<String, String> start() {
        try {
            redis = RedisServer.start(false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of("tidings.bus", "redis", "quarkus.redis.hosts", redis.uri());
    }

    @Override
    public void stop() {
        try {
            redis.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
