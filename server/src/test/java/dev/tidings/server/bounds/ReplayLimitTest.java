package dev.tidings.server.bounds;

import static dev.tidings.server.support.Publisher.publish;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.tidings.server.support.SseTestClient;
import dev.tidings.server.support.SseTestClient.Frame;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/** A client that missed more than {@code tidings.sse.max-replay} events is told so, then served live. */
@QuarkusTest
@TestProfile(ReplayLimitTest.SmallReplayLimit.class)
class ReplayLimitTest {

    private static final int MAX_REPLAY = 5;

    public static class SmallReplayLimit implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("tidings.sse.max-replay", Integer.toString(MAX_REPLAY));
        }
    }

    @TestHTTPResource("/api/v1/events")
    URI events;

    @Test
    void upToTheLimitIsReplayedPastItIsAReset() {
        String topic = "limit/" + UUID.randomUUID();
        String start = publish(topic, "0");
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= MAX_REPLAY + 1; i++) {
            ids.add(publish(topic, Integer.toString(i)));
        }
        URI stream = URI.create(events + "?topic=" + topic);

        try (SseTestClient withinLimit = SseTestClient.open(stream, Map.of("Last-Event-ID", ids.get(0)))) {
            assertThat(withinLimit.nextEvents(MAX_REPLAY)).extracting(Frame::id).containsExactlyElementsOf(ids.subList(1, ids.size()));
        }
        try (SseTestClient pastLimit = SseTestClient.open(stream, Map.of("Last-Event-ID", start))) {
            Frame reset = pastLimit.nextEvent();
            assertThat(reset.event()).isEqualTo("reset");
            assertThat(reset.id()).isNull();
            assertThat(reset.data()).contains("\"reason\":\"too-many-missed\"").contains("\"lastEventId\":\"" + start + "\"");
            String live = publish(topic, "\"live\"");
            assertThat(pastLimit.nextEvent().id()).isEqualTo(live);
        }
    }
}
