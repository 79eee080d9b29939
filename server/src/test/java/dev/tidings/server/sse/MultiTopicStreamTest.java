package dev.tidings.server.sse;

import static dev.tidings.server.support.Publisher.publish;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.tidings.server.support.SseTestClient;
import dev.tidings.server.support.SseTestClient.Frame;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class MultiTopicStreamTest {

    @TestHTTPResource("/api/v1/events?topic=chat/a&topic=notifications/ops&topic=orders/*/paid")
    URI stream;

    @Test
    void oneConnectionReceivesExactlyTheMatchingEventsInPublishOrder() {
        try (SseTestClient client = SseTestClient.open(stream)) {
            assertThat(client.status()).isEqualTo(200);
            assertThat(client.headers().firstValue("Content-Type")).hasValue("text/event-stream");
            assertThat(client.headers().firstValue("Cache-Control")).hasValue("no-cache");
            assertThat(client.headers().firstValue("X-Accel-Buffering")).hasValue("no");
            assertThat(client.next().retry()).isEqualTo(3000L);

            List<String> expected = new ArrayList<>();
            expected.add(publish("chat/a", "{\"n\":1}"));
            publish("chat/b", "{\"n\":2}");
            expected.add(publish("orders/17/paid", "{\"n\":3}"));
            publish("orders/17/shipped", "{\"n\":4}");
            expected.add(publish("notifications/ops", "notification", "{\"n\":5}"));
            publish("notifications/dev", "notification", "{\"n\":6}");
            publish("orders/17/x/paid", "{\"n\":7}");
            expected.add(publish("chat/a", "{\"n\":8}"));

            List<Frame> events = client.nextEvents(expected.size());
            assertThat(events).extracting(Frame::id).containsExactlyElementsOf(expected);
            assertThat(events.get(2).event()).isEqualTo("notification");
            assertThat(events.get(1).data()).contains("\"topic\":\"orders/17/paid\"", "\"data\":{\"n\":3}");
            // Nothing else arrives: a marker published last shows up next, with no other event before it.
            String marker = publish("chat/a", "{\"n\":9}");
            assertThat(client.nextEvent().id()).isEqualTo(marker);
        }
    }
}
