package dev.tidings.server.sse;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.tidings.server.support.SseTestClient;
import dev.tidings.server.support.SseTestClient.Frame;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * No stream is silent longer than {@code tidings.sse.heartbeat}: a proxy whose idle timeout is the
 * heartbeat period never cuts an idle stream, from its first heartbeat on.
 */
@QuarkusTest
@TestProfile(HeartbeatPeriodTest.TwoSecondHeartbeat.class)
class HeartbeatPeriodTest {

    private static final Duration PERIOD = Duration.ofSeconds(2);

    public static class TwoSecondHeartbeat implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("tidings.sse.heartbeat", "2s");
        }
    }

    @TestHTTPResource("/api/v1/events?topic=heartbeat/period")
    URI idleStream;

    @TestHTTPResource("/api/v1/chat/heartbeat-period")
    URI chat;

    @Test
    void everyGapBetweenWritesIsWithinThePeriod() {
        for (URI uri : new URI[] { idleStream, chat }) {
            try (SseTestClient client = SseTestClient.open(uri)) {
                assertThat(client.next().retry()).isEqualTo(3000L);
                for (int i = 0; i < 3; i++) {
                    Frame frame = client.next(PERIOD);
                    if (frame.isEvent()) {
                        assertThat(frame.event()).isEqualTo("presence");
                    } else {
                        assertThat(frame.comment()).isEqualTo("hb");
                    }
                }
            }
        }
    }
}
