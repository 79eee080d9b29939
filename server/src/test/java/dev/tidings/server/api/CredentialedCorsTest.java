package dev.tidings.server.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.tidings.server.support.SseTestClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;

/** CORS narrowed to one exact origin, as a deployment whose pages send cookies sets it. */
@QuarkusTest
@TestProfile(CredentialedCorsTest.ExactOrigin.class)
class CredentialedCorsTest {

    private static final String ALLOWED = "https://app.example";
    private static final String REFUSED = "https://elsewhere.example";

    public static class ExactOrigin implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.http.cors.origins", ALLOWED,
                    "quarkus.http.cors.access-control-allow-credentials", "true");
        }
    }

    @TestHTTPResource("/api/v1/events?topic=cors/credentials")
    URI stream;

    @Test
    void theListedOriginGetsItsOwnNameAndCredentialsOnStreamsAndPreflights() {
        try (SseTestClient client = SseTestClient.open(stream, Map.of("Origin", ALLOWED))) {
            assertThat(client.status()).isEqualTo(200);
            assertThat(client.headers().firstValue("Access-Control-Allow-Origin")).hasValue(ALLOWED);
            assertThat(client.headers().firstValue("Access-Control-Allow-Credentials")).hasValue("true");
        }
        Response preflight = given().header("Origin", ALLOWED).header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "content-type").options("/api/v1/chat/lobby/messages");
        assertThat(preflight.statusCode()).isEqualTo(200);
        assertThat(preflight.header("Access-Control-Allow-Origin")).isEqualTo(ALLOWED);
        assertThat(preflight.header("Access-Control-Allow-Credentials")).isEqualTo("true");
    }

    @Test
    void anotherOriginIsRefusedOnStreamsAndPreflights() {
        Response streamed = given().header("Origin", REFUSED).get("/api/v1/events?topic=cors/credentials");
        assertThat(streamed.statusCode()).isEqualTo(403);
        assertThat(streamed.header("Access-Control-Allow-Origin")).isNull();
        Response preflight = given().header("Origin", REFUSED).header("Access-Control-Request-Method", "POST")
                .options("/api/v1/chat/lobby/messages");
        assertThat(preflight.header("Access-Control-Allow-Origin")).isNull();
    }
}
