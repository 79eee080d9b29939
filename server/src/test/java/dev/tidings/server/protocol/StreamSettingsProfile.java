package dev.tidings.server.protocol;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * The stream settings the protocol suites rely on, stated here rather than taken from the
 * {@code %test} profile: a short heartbeat, a small per-subscriber queue (so a stalled reader is
 * detected after little data, and a replay is many times that queue), a history that holds all
 * one test resumes from, and a {@code retry:} value that differs from the default.
 * A protocol adds its own server settings in {@link #protocolOverrides()}.
 */
public class StreamSettingsProfile implements QuarkusTestProfile {

    static final Duration RETRY = Duration.ofMillis(2500);
    static final Duration HEARTBEAT = Duration.ofMillis(300);
    static final int QUEUE_BYTES = 64 * 1024;
    static final int HISTORY_SIZE = 1000;

    @Override
    public final Map<String, String> getConfigOverrides() {
        Map<String, String> config = new HashMap<>();
        config.put("tidings.sse.retry", RETRY.toMillis() + "ms");
        config.put("tidings.sse.heartbeat", HEARTBEAT.toMillis() + "ms");
        config.put("tidings.sse.queue-size", String.valueOf(QUEUE_BYTES));
        config.put("tidings.history.size", String.valueOf(HISTORY_SIZE));
        config.putAll(protocolOverrides());
        return config;
    }

    protected Map<String, String> protocolOverrides() {
        return Map.of();
    }
}
