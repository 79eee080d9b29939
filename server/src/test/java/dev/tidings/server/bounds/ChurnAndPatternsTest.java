package dev.tidings.server.bounds;

import static dev.tidings.server.support.Publisher.publish;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.tidings.server.sse.OpenStreams;
import dev.tidings.server.support.Problems;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** What no unauthenticated client can do to others: evict their history, or stall matching. */
@QuarkusTest
class ChurnAndPatternsTest {

    private static final int CHURN = 5_000;

    @TestHTTPResource("/")
    URI root;

    @Inject
    OpenStreams streams;

    @Test
    void chatChurnLeavesAnotherTopicsHistoryIntact() throws IOException {
        String topic = "kept/" + UUID.randomUUID();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            ids.add(publish(topic, "{\"n\":" + i + "}"));
        }
        byte[] request = ("GET /api/v1/chat/churn HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < CHURN; i++) {
            try (Socket socket = new Socket(root.getHost(), root.getPort())) {
                OutputStream out = socket.getOutputStream();
                out.write(request);
                out.flush();
                assertThat(readHead(socket.getInputStream())).startsWith("HTTP/1.1 200");
            }
        }
        await("churned streams to close").atMost(Duration.ofSeconds(30)).until(() -> streams.count() == 0);

        List<String> retained = given().when().get("/api/v1/topics/" + topic + "/events?limit=100")
                .then().statusCode(200).extract().jsonPath().getList("id");
        assertThat(retained).containsExactlyElementsOf(ids);
    }

    @Test
    void patternsPastTheLimitsAre400() {
        String threeDoubleWildcards = "a/**/b/**/c/**";
        String overLong = "a/" + "b".repeat(300) + "/**";
        for (String pattern : List.of(threeDoubleWildcards, overLong)) {
            Response response = given().queryParam("topic", pattern).when().get("/api/v1/events");
            Problems.assertProblem(pattern, response.statusCode(), response.contentType(), response.asString(), 400);
        }
    }

    private static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.append((char) b);
        }
        return head.toString();
    }
}
