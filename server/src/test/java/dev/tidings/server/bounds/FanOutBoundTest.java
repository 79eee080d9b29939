package dev.tidings.server.bounds;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import dev.tidings.server.support.Problems;
import dev.tidings.server.support.SseTestClient;
import dev.tidings.server.support.SseTestClient.Frame;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * Publishers cannot outrun the fan-out without limit: past the bound a publish is refused with 503
 * and Retry-After, and every event that was accepted reaches the subscriber, once and in order.
 */
@QuarkusTest
@TestProfile(FanOutBoundTest.TinyFanOutQueue.class)
class FanOutBoundTest {

    private static final int PUBLISHERS = 16;
    private static final int MAX_PUBLISHES = 20_000;
    private static final String PAYLOAD = "\"" + "y".repeat(8 * 1024) + "\"";

    public static class TinyFanOutQueue implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("tidings.publish.max-queued", "2", "tidings.sse.queue-size", "64M");
        }
    }

    @TestHTTPResource("/api/v1/events")
    URI events;

    @Test
    void aFloodPastTheBoundIsRefusedAndNoAcceptedEventIsLost() throws Exception {
        String topic = "flood/" + UUID.randomUUID();
        List<SseTestClient> subscribers = new ArrayList<>();
        List<String> accepted = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger published = new AtomicInteger();
        AtomicBoolean refused = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(PUBLISHERS);
        try {
            for (int i = 0; i < 50; i++) {
                subscribers.add(SseTestClient.open(URI.create(events + "?topic=" + topic)));
            }
            List<Future<?>> publishers = new ArrayList<>();
            for (int p = 0; p < PUBLISHERS; p++) {
                publishers.add(pool.submit(() -> {
                    while (!refused.get() && published.incrementAndGet() <= MAX_PUBLISHES) {
                        Response response = given().contentType(ContentType.JSON).body("{\"data\":" + PAYLOAD + "}")
                                .when().post("/api/v1/topics/" + topic + "/events");
                        if (response.statusCode() == 201) {
                            accepted.add(response.path("id"));
                        } else {
                            Problems.assertProblem("flooded publish", response.statusCode(), response.contentType(),
                                    response.asString(), 503);
                            assertThat(response.header("Retry-After")).isNotBlank();
                            refused.set(true);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> publisher : publishers) {
                publisher.get(2, TimeUnit.MINUTES);
            }
            assertThat(refused).as("a publish was refused within " + MAX_PUBLISHES + " publishes").isTrue();

            List<String> inIdOrder = accepted.stream().sorted(FanOutBoundTest::compareIds).toList();
            for (SseTestClient subscriber : subscribers) {
                assertThat(subscriber.nextEvents(inIdOrder.size())).extracting(Frame::id)
                        .containsExactlyElementsOf(inIdOrder);
            }
        } finally {
            pool.shutdownNow();
            subscribers.forEach(SseTestClient::close);
        }
    }

    private static int compareIds(String a, String b) {
        String[] x = a.split("-");
        String[] y = b.split("-");
        int byMillis = Long.compare(Long.parseLong(x[0]), Long.parseLong(y[0]));
        return byMillis != 0 ? byMillis : Long.compare(Long.parseLong(x[1]), Long.parseLong(y[1]));
    }
}
