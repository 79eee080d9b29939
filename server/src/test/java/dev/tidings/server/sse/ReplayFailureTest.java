package dev.tidings.server.sse;

import static dev.tidings.server.support.Publisher.publish;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import org.junit.jupiter.api.Test;

import dev.tidings.server.bus.LocalBus;
import dev.tidings.server.hub.Bus;
import dev.tidings.server.hub.BusListener;
import dev.tidings.server.hub.Event;
import dev.tidings.server.hub.HistoryPage;
import dev.tidings.server.hub.HubUnavailableException;
import dev.tidings.server.hub.Replay;
import dev.tidings.server.hub.TopicFilter;
import dev.tidings.server.support.Metrics;
import dev.tidings.server.support.SseTestClient;
import dev.tidings.server.support.SseTestClient.Frame;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * A resume whose history read fails (the shared bus timed out) while live events arrive: the
 * stream ends and sends none of them, so the client resumes from its own last id and misses
 * nothing. Sending them would move its last id past what it never got (a two-replica reconnect
 * storm lost events this way).
 */
@QuarkusTest
@TestProfile(ReplayFailureTest.FailingReplays.class)
class ReplayFailureTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    public static class FailingReplays implements QuarkusTestProfile {
        @Override
        public Set<Class<?>> getEnabledAlternatives() {
            return Set.of(HeldReplayBus.class);
        }
    }

    /** The embedded bus, except that each replay waits for the test to fail it. */
    @Alternative
    @Singleton
    public static class HeldReplayBus implements Bus {
        static final AtomicReference<CompletableFuture<Replay>> PENDING = new AtomicReference<>();

        @Inject
        LocalBus local;

        @Override
        public CompletionStage<Replay> replay(String lastEventId, TopicFilter filter, int maxEvents) {
            CompletableFuture<Replay> held = new CompletableFuture<>();
            PENDING.set(held);
            return held;
        }

        @Override
        public void start(BusListener listener) {
            local.start(listener);
        }

        @Override
        public CompletionStage<Event> publish(String topic, String type, String data) {
            return local.publish(topic, type, data);
        }

        @Override
        public CompletionStage<HistoryPage> read(String topic, Optional<String> afterId, int limit, long maxBytes) {
            return local.read(topic, afterId, limit, maxBytes);
        }

        @Override
        public CompletionStage<List<Event>> last(String topic, int count) {
            return local.last(topic, count);
        }

        @Override
        public CompletionStage<Map<String, String>> latestIds() {
            return local.latestIds();
        }

        @Override
        public void changeMembers(String room, int delta) {
            local.changeMembers(room, delta);
        }

        @Override
        public boolean isReady() {
            return local.isReady();
        }
    }

    @TestHTTPResource("/api/v1/events")
    URI events;

    @Test
    void liveEventsHeldForAFailedReplayAreNotSentAndTheStreamEnds() {
        String topic = "replay-failure/a";
        String missed = publish(topic, "{\"n\":1}");
        HeldReplayBus.PENDING.set(null);
        try (SseTestClient client = SseTestClient.open(URI.create(events + "?topic="
                + URLEncoder.encode(topic, StandardCharsets.UTF_8)), Map.of("Last-Event-ID", "1-0"))) {
            assertThat(client.status()).isEqualTo(200);
            await().atMost(WAIT).until(() -> HeldReplayBus.PENDING.get() != null);
            double delivered = Metrics.value("tidings_events_delivered_total", null);
            String live = publish(topic, "{\"n\":2}");
            // The live event is queued on the stream, held back behind the replay.
            await().atMost(WAIT).until(() -> Metrics.value("tidings_events_delivered_total", null) > delivered);

            HeldReplayBus.PENDING.get().completeExceptionally(new HubUnavailableException("Redis did not answer"));

            List<Frame> sent = client.framesUntilEnd(WAIT);
            assertThat(sent).as("after %s was missed, live %s must not go out", missed, live)
                    .noneMatch(Frame::isEvent);
        }
    }
}
