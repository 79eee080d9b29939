package dev.tidings.server.sse;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.tidings.server.support.SseTestClient;
import dev.tidings.server.support.SseTestClient.Frame;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

@QuarkusTest
class TimerStreamTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TestHTTPResource("/api/v1/timer?period=PT0.1S")
    URI fastTimer;

    @TestHTTPResource("/api/v1/timer?period=PT1H")
    URI slowestTimer;

    @Test
    void ticksCountFromOne() {
        try (SseTestClient client = SseTestClient.open(fastTimer)) {
            assertThat(client.status()).isEqualTo(200);
            assertThat(client.headers().firstValue("Content-Type")).hasValue("text/event-stream");
            assertThat(client.next().retry()).isEqualTo(3000L);

            List<Frame> ticks = client.nextEvents(3);
            assertThat(ticks).extracting(Frame::event).containsOnly("tick");
            assertThat(ticks).extracting(Frame::id).containsExactly("1", "2", "3");
            Instant previous = Instant.EPOCH;
            for (int i = 0; i < ticks.size(); i++) {
                JsonNode data = parse(ticks.get(i).data());
                assertThat(data.size()).isEqualTo(2);
                assertThat(data.path("seq").isIntegralNumber()).isTrue();
                assertThat(data.path("seq").asLong()).isEqualTo(i + 1L);
                Instant time = Instant.parse(data.path("time").asText());
                assertThat(time).isAfterOrEqualTo(previous);
                previous = time;
            }
        }
    }

    @Test
    void lastEventIdContinuesAtTheNextSequenceNumber() {
        try (SseTestClient client = SseTestClient.open(fastTimer, Map.of("Last-Event-ID", "41"))) {
            assertThat(client.status()).isEqualTo(200);
            List<Frame> ticks = client.nextEvents(2);
            assertThat(ticks).extracting(Frame::id).containsExactly("42", "43");
            assertThat(parse(ticks.get(0).data()).path("seq").asLong()).isEqualTo(42L);
            assertThat(parse(ticks.get(1).data()).path("seq").asLong()).isEqualTo(43L);
        }
    }

    @Test
    void theLongestPeriodIsAccepted() {
        try (SseTestClient client = SseTestClient.open(slowestTimer)) {
            assertThat(client.status()).isEqualTo(200);
            // The first tick is immediate, whatever the period.
            Frame first = client.nextEvent();
            assertThat(first.id()).isEqualTo("1");
            assertThat(first.event()).isEqualTo("tick");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "PT0.05S", "PT2H", "nonsense" })
    void aPeriodOutOfBoundsOrUnparsableIsABadRequestProblem(String period) {
        Response response = given().queryParam("period", period)
                .when().get("/api/v1/timer")
                .then().extract().response();
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.contentType()).startsWith("application/problem+json");
        JsonNode problem = parse(response.asString());
        assertThat(problem.path("status").asInt()).isEqualTo(400);
        assertThat(problem.path("title").asText()).isNotBlank();
        assertThat(problem.path("detail").asText()).contains("period");
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new AssertionError("Not JSON: " + json, e);
        }
    }
}
