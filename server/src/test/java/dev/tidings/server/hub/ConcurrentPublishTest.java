package dev.tidings.server.hub;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.tidings.server.support.Problems;
import dev.tidings.server.support.SseTestClient;
import dev.tidings.server.support.SseTestClient.Frame;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class ConcurrentPublishTest {

    private static final int SUBSCRIBERS = 3;
    private static final int PUBLISHERS = 8;
    private static final int EVENTS_EACH = 50;
    private static final int TOTAL = PUBLISHERS * EVENTS_EACH;

    @TestHTTPResource("/")
    URI root;

    @Test
    void concurrentPublishersGiveEverySubscriberTheSameStrictlyIncreasingSequence() throws Exception {
        String topic = "concurrent/" + UUID.randomUUID();
        List<SseTestClient> subscribers = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(PUBLISHERS);
        try {
            for (int i = 0; i < SUBSCRIBERS; i++) {
                SseTestClient client = SseTestClient.open(root.resolve("/api/v1/events?topic=" + topic));
                subscribers.add(client);
                assertThat(client.status()).isEqualTo(200);
                assertThat(client.next().retry()).isNotNull();
            }

            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(5)).build();
            URI publishUri = root.resolve("/api/v1/topics/" + topic + "/events");
            CountDownLatch ready = new CountDownLatch(PUBLISHERS);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<List<String>>> results = new ArrayList<>();
            for (int p = 0; p < PUBLISHERS; p++) {
                int publisher = p;
                results.add(pool.submit(() -> {
                    ready.countDown();
                    if (!go.await(30, TimeUnit.SECONDS)) {
                        throw new IllegalStateException("start signal never came");
                    }
                    List<String> ids = new ArrayList<>(EVENTS_EACH);
                    for (int n = 0; n < EVENTS_EACH; n++) {
                        HttpRequest request = HttpRequest.newBuilder(publishUri)
                                .timeout(Duration.ofSeconds(20))
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(
                                        "{\"data\":{\"publisher\":" + publisher + ",\"n\":" + n + "}}"))
                                .build();
                        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                        if (response.statusCode() != 201) {
                            throw new AssertionError("publish " + publisher + "/" + n + " answered "
                                    + response.statusCode() + ": " + response.body());
                        }
                        ids.add(Problems.parse("publish answer", response.body()).path("id").asText());
                    }
                    return ids;
                }));
            }
            assertThat(ready.await(30, TimeUnit.SECONDS)).as("all publishers ready").isTrue();
            go.countDown();

            Set<String> published = new HashSet<>();
            List<List<String>> perPublisher = new ArrayList<>();
            for (Future<List<String>> result : results) {
                List<String> ids = result.get(60, TimeUnit.SECONDS);
                perPublisher.add(ids);
                published.addAll(ids);
            }
            assertThat(published).as("every publish got its own id").hasSize(TOTAL);
            for (List<String> ids : perPublisher) {
                assertStrictlyIncreasing("ids one publisher got back, in its own order", ids);
            }

            List<String> first = null;
            for (int s = 0; s < SUBSCRIBERS; s++) {
                List<Frame> events = subscribers.get(s).nextEvents(TOTAL);
                List<String> ids = new ArrayList<>(TOTAL);
                for (Frame event : events) {
                    ids.add(event.id());
                    JsonNode envelope = Problems.parse("event data", event.data());
                    assertThat(envelope.path("id").asText()).as("envelope id equals the SSE id").isEqualTo(event.id());
                    assertThat(envelope.path("topic").asText()).isEqualTo(topic);
                }
                assertThat(ids).as("subscriber %d received each event once", s).doesNotHaveDuplicates();
                assertStrictlyIncreasing("subscriber " + s, ids);
                assertThat(new HashSet<>(ids)).as("subscriber %d received exactly the published ids", s)
                        .isEqualTo(published);
                if (first == null) {
                    first = ids;
                } else {
                    assertThat(ids).as("subscriber %d saw the same sequence as subscriber 0", s)
                            .containsExactlyElementsOf(first);
                }
            }

            // Nothing beyond the 400: a marker published last is the next event everywhere.
            HttpResponse<String> marker = http.send(HttpRequest.newBuilder(publishUri)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"data\":\"marker\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(marker.statusCode()).isEqualTo(201);
            String markerId = Problems.parse("marker", marker.body()).path("id").asText();
            for (SseTestClient subscriber : subscribers) {
                assertThat(subscriber.nextEvent().id()).isEqualTo(markerId);
            }
        } finally {
            pool.shutdownNow();
            subscribers.forEach(SseTestClient::close);
        }
    }

    /** Checks the order independently of the server's own comparison: millis first, then sequence. */
    private static void assertStrictlyIncreasing(String what, List<String> ids) {
        long[] previous = null;
        for (int i = 0; i < ids.size(); i++) {
            String text = ids.get(i);
            assertThat(text).as("%s: id #%d has the shape <millis>-<seq>", what, i).matches("\\d+-\\d+");
            int dash = text.indexOf('-');
            long[] id = { Long.parseLong(text.substring(0, dash)), Long.parseLong(text.substring(dash + 1)) };
            if (previous != null) {
                boolean after = id[0] > previous[0] || (id[0] == previous[0] && id[1] > previous[1]);
                assertThat(after).as("%s: id #%d %s comes after %d-%d", what, i, text, previous[0], previous[1])
                        .isTrue();
            }
            previous = id;
        }
    }
}
