package dev.tidings.server.api;

import static dev.tidings.server.support.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.tidings.server.sse.OpenStreams;
import dev.tidings.server.support.SseTestClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

@QuarkusTest
@TestProfile(StreamLimitTest.TwoStreams.class)
class StreamLimitTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    public static class TwoStreams implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("tidings.sse.max-streams", "2");
        }
    }

    @TestHTTPResource("/")
    URI root;

    @Inject
    OpenStreams streams;

    @Test
    void streamsOverTheLimitGet429WithRetryAfterUntilOneCloses() throws Exception {
        await("no stream left open").atMost(WAIT).until(() -> streams.count() == 0);
        try (SseTestClient first = SseTestClient.open(root.resolve("/api/v1/events?topic=limit/a"));
                SseTestClient second = SseTestClient.open(root.resolve("/api/v1/chat/limit"))) {
            assertThat(first.status()).isEqualTo(200);
            assertThat(first.next().retry()).isEqualTo(3000L);
            assertThat(second.status()).isEqualTo(200);
            assertThat(second.next().retry()).isEqualTo(3000L);
            assertThat(streams.count()).isEqualTo(2);

            for (String path : new String[] { "/api/v1/events?topic=limit/b", "/api/v1/notifications?channel=x",
                    "/api/v1/chat/other", "/api/v1/timer" }) {
                HttpResponse<String> third = HTTP.send(HttpRequest.newBuilder(root.resolve(path))
                        .timeout(WAIT).header("Accept", "text/event-stream").build(),
                        HttpResponse.BodyHandlers.ofString());
                String contentType = third.headers().firstValue("Content-Type").orElse(null);
                assertProblem(path + " over the limit", third.statusCode(), contentType, third.body(), 429);
                assertThat(third.headers().firstValue("Retry-After")).as("Retry-After of %s", path)
                        .hasValueSatisfying(seconds -> assertThat(seconds).matches("[1-9][0-9]*"));
            }
            assertThat(streams.count()).as("refused streams are not counted").isEqualTo(2);

            second.close();
            await("the closed stream to be released").atMost(WAIT).until(() -> streams.count() == 1);
            try (SseTestClient replacement = SseTestClient.open(root.resolve("/api/v1/events?topic=limit/c"))) {
                assertThat(replacement.status()).as("a stream after one closed").isEqualTo(200);
                assertThat(replacement.next().retry()).isEqualTo(3000L);
                assertThat(streams.count()).isEqualTo(2);
            }
        }
        await("all streams released").atMost(WAIT).until(() -> streams.count() == 0);
    }
}
