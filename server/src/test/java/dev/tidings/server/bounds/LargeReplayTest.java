package dev.tidings.server.bounds;

import static dev.tidings.server.support.Publisher.publish;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.tidings.server.support.Metrics;
import dev.tidings.server.support.SseTestClient;
import dev.tidings.server.support.SseTestClient.Frame;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * A resume far larger than a stream's send queue is paced by the reader: one connection, every
 * missed event once and in order, and nobody taken for a slow reader.
 */
@QuarkusTest
@TestProfile(LargeReplayTest.RoomyHistory.class)
class LargeReplayTest {

    private static final int MISSED = 5_000;
    private static final String PAYLOAD = "\"" + "x".repeat(4 * 1024) + "\"";

    public static class RoomyHistory implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // 5 000 events of 4 KiB, about 20 MiB: far past the 64 KiB send queue of the tests.
            return Map.of("tidings.history.size", "6000", "tidings.history.max-bytes", "64M",
                    "tidings.sse.queue-size", "64K");
        }
    }

    @TestHTTPResource("/api/v1/events")
    URI events;

    @Test
    void aResumeOfFiveThousandFourKibEventsCompletesOnOneConnection() {
        String topic = "replay/" + UUID.randomUUID();
        String resumeFrom = publish(topic, "0");
        List<String> missed = new ArrayList<>();
        for (int i = 0; i < MISSED; i++) {
            missed.add(publish(topic, PAYLOAD));
        }
        double slowBefore = Metrics.slowDisconnects();

        try (SseTestClient client = SseTestClient.open(URI.create(events + "?topic=" + topic),
                Map.of("Last-Event-ID", resumeFrom))) {
            List<Frame> replayed = client.nextEvents(MISSED);
            assertThat(replayed).extracting(Frame::id).containsExactlyElementsOf(missed);
            assertThat(replayed).allSatisfy(frame -> assertThat(frame.data()).contains(PAYLOAD));
            // Still open and live after the replay.
            String live = publish(topic, "1");
            assertThat(client.nextEvent().id()).isEqualTo(live);
        }
        assertThat(Metrics.slowDisconnects()).isEqualTo(slowBefore);
    }
}
