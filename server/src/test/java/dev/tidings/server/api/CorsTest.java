package dev.tidings.server.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.tidings.server.support.SseTestClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** CORS with the shipped settings: any origin may use the API without credentials. */
@QuarkusTest
class CorsTest {

    private static final String ORIGIN = "https://dashboard.example";

    @TestHTTPResource("/api/v1/events?topic=cors/t")
    URI stream;

    @Test
    void aPreflightIsAnsweredOnAPublishRoute() {
        Response preflight = preflight("/api/v1/topics/cors/t/events", "POST", "content-type,authorization");
        assertThat(preflight.statusCode()).isEqualTo(200);
        assertThat(preflight.header("Access-Control-Allow-Origin")).isIn(ORIGIN, "*");
        assertThat(preflight.header("Access-Control-Allow-Methods")).contains("POST");
        assertThat(preflight.header("Access-Control-Allow-Headers")).containsIgnoringCase("Authorization")
                .containsIgnoringCase("Content-Type");
        assertThat(preflight.header("Access-Control-Max-Age")).isEqualTo("3600");
    }

    @Test
    void aPreflightIsAnsweredOnEveryStreamRoute() {
        for (String path : new String[] {"/api/v1/events?topic=a", "/api/v1/timer", "/api/v1/notifications",
                "/api/v1/chat/lobby"}) {
            Response preflight = preflight(path, "GET", "last-event-id,authorization");
            assertThat(preflight.statusCode()).as(path).isEqualTo(200);
            assertThat(preflight.header("Access-Control-Allow-Origin")).as(path).isIn(ORIGIN, "*");
            assertThat(preflight.header("Access-Control-Allow-Headers")).as(path).containsIgnoringCase("Last-Event-ID");
        }
    }

    @Test
    void aStreamAndAnErrorFromAnotherOriginCarryTheAllowAndExposeHeaders() {
        try (SseTestClient client = SseTestClient.open(stream, Map.of("Origin", ORIGIN))) {
            assertThat(client.status()).isEqualTo(200);
            assertThat(client.headers().firstValue("Access-Control-Allow-Origin")).hasValueSatisfying(
                    value -> assertThat(value).isIn(ORIGIN, "*"));
            assertThat(client.next().retry()).isNotNull();
        }
        Response refused = given().header("Origin", ORIGIN).get("/api/v1/events?topic=private/x");
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.header("Access-Control-Expose-Headers")).contains("Retry-After", "WWW-Authenticate");
    }

    private static Response preflight(String path, String method, String headers) {
        return given().header("Origin", ORIGIN).header("Access-Control-Request-Method", method)
                .header("Access-Control-Request-Headers", headers).options(path);
    }
}
