package dev.tidings.server.metrics;

import static dev.tidings.server.support.Publisher.publish;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.tidings.server.support.Metrics;
import dev.tidings.server.support.SseTestClient;
import dev.tidings.server.support.SseTestClient.Frame;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/** The event counters at /q/metrics move by exactly what the streams did. */
@QuarkusTest
class TidingsMetricsTest {

    @TestHTTPResource("/api/v1/events?topic=metrics/counted")
    URI stream;

    @Test
    void publishedDeliveredAndReplayedCountWhatHappened() {
        double published = counter("tidings_events_published_total");
        double delivered = counter("tidings_events_delivered_total");
        double replayed = counter("tidings_events_replayed_total");

        String first;
        try (SseTestClient one = SseTestClient.open(stream); SseTestClient two = SseTestClient.open(stream)) {
            assertThat(one.next().retry()).isNotNull();
            assertThat(two.next().retry()).isNotNull();
            first = publish("metrics/counted", "{\"n\":1}");
            publish("metrics/counted", "{\"n\":2}");
            publish("metrics/counted", "{\"n\":3}");
            assertThat(one.nextEvents(3)).extracting(Frame::id).startsWith(first);
            assertThat(two.nextEvents(3)).extracting(Frame::id).startsWith(first);
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(counter("tidings_events_published_total") - published).isEqualTo(3);
            assertThat(counter("tidings_events_delivered_total") - delivered).isEqualTo(6);
        });

        try (SseTestClient resumed = SseTestClient.open(stream, Map.of("Last-Event-ID", first))) {
            List<Frame> missed = resumed.nextEvents(2);
            assertThat(missed).hasSize(2);
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(counter("tidings_events_replayed_total") - replayed).isEqualTo(2);
            assertThat(counter("tidings_events_delivered_total") - delivered).isEqualTo(8);
        });
    }

    @Test
    void streamWritesRecordNoPerWriteByteCountsWhileRequestTimingsStay() {
        try (SseTestClient one = SseTestClient.open(stream)) {
            assertThat(one.next().retry()).isNotNull();
            publish("metrics/counted", "{\"n\":1}");
            assertThat(one.nextEvents(1)).hasSize(1);
        }
        String text = Metrics.scrape();
        assertThat(text).contains("http_server_requests_seconds_count");
        assertThat(text).doesNotContain("http_server_bytes_written").doesNotContain("http_server_bytes_read");
    }

    private static double counter(String name) {
        double value = Metrics.value(name, null);
        return Double.isNaN(value) ? 0 : value;
    }
}
