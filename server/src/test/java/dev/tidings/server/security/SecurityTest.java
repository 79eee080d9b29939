package dev.tidings.server.security;

import static dev.tidings.server.security.TestTokens.claims;
import static dev.tidings.server.security.TestTokens.plain;
import static dev.tidings.server.security.TestTokens.publisher;
import static dev.tidings.server.security.TestTokens.sign;
import static dev.tidings.server.security.TestTokens.subscriber;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.tidings.server.support.Problems;
import dev.tidings.server.support.SseTestClient;
import dev.tidings.server.support.SseTestClient.Frame;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/** Every access rule of DESIGN.md's "Security model", over real HTTP, with the default rules. */
@QuarkusTest
@TestProfile(SecurityProfile.class)
class SecurityTest {

    private static final String PUBLISHER = publisher("backend", "**");

    @TestHTTPResource("/")
    URI root;

    @Test
    void anonymousPublishingReachesOnlyTheAnonymousTopics() {
        given().contentType(ContentType.JSON).body("{\"author\":\"ann\",\"text\":\"hi\"}")
                .post("/api/v1/chat/lobby/messages").then().statusCode(201);
        given().contentType(ContentType.JSON).body("{\"channel\":\"ops\",\"title\":\"t\",\"level\":\"info\"}")
                .post("/api/v1/notifications").then().statusCode(201);

        Response refused = publish(given(), "orders/1", "{}");
        JsonNode problem = assertProblem("anonymous publish to orders/1", refused, 401);
        assertThat(problem.path("detail").asText()).contains("orders/1");
        assertThat(refused.header("WWW-Authenticate")).startsWith("Bearer").doesNotContain("error=");
    }

    @Test
    void aTokenPublishesWhereItsPatternsReachAndNowhereElse() {
        RequestSpecification token = bearer(publisher("svc", "orders/**", "users/{sub}/**"));
        assertThat(publish(token, "orders/7/paid", "{}").statusCode()).isEqualTo(201);
        assertThat(publish(bearer(publisher("svc", "users/{sub}/**")), "users/svc/inbox", "{}").statusCode())
                .isEqualTo(201);

        for (String topic : List.of("billing/1", "users/other/inbox", "orders")) {
            Response refused = publish(bearer(publisher("svc", "orders/**", "users/{sub}/**")), topic, "{}");
            assertProblem("publish to " + topic, refused, 403);
            assertThat(refused.header("WWW-Authenticate")).contains("error=\"insufficient_scope\"");
        }
    }

    @Test
    void badTokensAreRefusedEvenWhereAnonymousUseIsAllowed() {
        Map<String, String> bad = Map.of(
                "expired", sign(claims("ann").expiresAt(Instant.now().minusSeconds(600))),
                "signed by another key", TestTokens.signWithOtherKey(claims("ann")),
                "from another issuer", sign(claims("ann").issuer("https://elsewhere.test")),
                "malformed", "not.a.token");
        bad.forEach((what, token) -> {
            Response post = given().header("Authorization", "Bearer " + token).contentType(ContentType.JSON)
                    .body("{\"author\":\"ann\",\"text\":\"hi\"}").post("/api/v1/chat/lobby/messages");
            assertProblem("publish with a token " + what, post, 401);
            assertThat(post.header("WWW-Authenticate")).as(what).contains("error=\"invalid_token\"");

            Response stream = given().queryParam("access_token", token).get("/api/v1/events?topic=chat/lobby");
            assertProblem("stream with a token " + what, stream, 401);
            assertThat(stream.header("WWW-Authenticate")).as(what).contains("error=\"invalid_token\"");
        });
        assertThat(assertProblem("expired", given().header("Authorization", "Bearer " + bad.get("expired"))
                .get("/api/v1/timer"), 401).path("detail").asText()).contains("expired");
        assertProblem("a Basic credential", given().header("Authorization", "Basic YTpi")
                .get("/api/v1/topics"), 401);
    }

    @Test
    void aPrivateTopicIsReadWithATokenFromTheHeaderTheCookieOrTheQuery() {
        String token = subscriber("ann", "private/reports/**");
        URI stream = root.resolve("/api/v1/events?topic=private/reports/q1");
        List<SseTestClient> clients = List.of(
                SseTestClient.open(stream, Map.of("Authorization", "Bearer " + token)),
                SseTestClient.open(stream, Map.of("Cookie", Callers.COOKIE + "=" + token)),
                SseTestClient.open(root.resolve(stream + "&access_token=" + token)));
        try {
            clients.forEach(client -> assertThat(client.status()).isEqualTo(200));
            String id = publishAsBackend("private/reports/q1", "{\"n\":1}");
            clients.forEach(client -> assertThat(client.nextEvent().id()).isEqualTo(id));
        } finally {
            clients.forEach(SseTestClient::close);
        }

        Response anonymous = given().get("/api/v1/events?topic=private/reports/q1");
        assertProblem("anonymous private stream", anonymous, 401);
        assertThat(anonymous.header("WWW-Authenticate")).startsWith("Bearer");
        Response uncovered = bearer(plain("bob")).get("/api/v1/events?topic=private/reports/q1");
        assertProblem("private stream with a token that does not cover it", uncovered, 403);
        assertThat(uncovered.header("WWW-Authenticate")).contains("error=\"insufficient_scope\"");
    }

    @Test
    void anyTokenReadsItsOwnInboxAndNoOtherOne() {
        try (SseTestClient own = SseTestClient.open(root.resolve("/api/v1/events?topic=users/42/inbox"),
                Map.of("Authorization", "Bearer " + plain("42")))) {
            assertThat(own.status()).isEqualTo(200);
            String id = publishAsBackend("users/42/inbox", "{\"for\":42}");
            assertThat(own.nextEvent().id()).isEqualTo(id);
        }
        assertProblem("someone else's inbox", bearer(plain("43")).get("/api/v1/events?topic=users/42/inbox"), 403);
        assertProblem("an inbox read anonymously", given().get("/api/v1/events?topic=users/42/inbox"), 401);
    }

    @Test
    void aPatternNeverDeliversPrivateOrPersonalTopicsItsTokenDoesNotCover() {
        URI everything = root.resolve("/api/v1/events?topic=**");
        try (SseTestClient anonymous = SseTestClient.open(everything);
                SseTestClient ann = SseTestClient.open(everything,
                        Map.of("Authorization", "Bearer " + subscriber("ann", "private/reports/**")))) {
            assertThat(anonymous.status()).isEqualTo(200);
            assertThat(ann.status()).isEqualTo(200);
            String report = publishAsBackend("private/reports/q2", "{}");
            publishAsBackend("private/salaries", "{}");
            String annInbox = publishAsBackend("users/ann/inbox", "{}");
            publishAsBackend("users/bob/inbox", "{}");
            String marker = publishAsBackend("public/marker", "{}");

            assertThat(anonymous.nextEvent().id()).as("the first event an anonymous ** sees").isEqualTo(marker);
            assertThat(ann.nextEvents(3)).extracting(Frame::id).containsExactly(report, annInbox, marker);
        }
    }

    @Test
    void aPatternResumingFromHistoryIsNotReplayedPrivateEvents() {
        String before = publishAsBackend("public/before", "{}");
        publishAsBackend("private/replayed", "{}");
        publishAsBackend("users/carol/inbox", "{}");
        String after = publishAsBackend("public/after", "{}");
        try (SseTestClient resumed = SseTestClient.open(root.resolve("/api/v1/events?topic=**"),
                Map.of("Last-Event-ID", before))) {
            assertThat(resumed.nextEvent().id()).isEqualTo(after);
        }
    }

    @Test
    void historyAndTheTopicListShowPrivateTopicsOnlyToTokensCoveringThem() {
        publishAsBackend("private/listed/a", "{}");
        publishAsBackend("public/listed", "{}");

        assertProblem("anonymous history of a private topic", given().get("/api/v1/topics/private/listed/a/events"), 401);
        assertThat(bearer(subscriber("ann", "private/listed/**")).get("/api/v1/topics/private/listed/a/events")
                .then().statusCode(200).extract().<List<String>>path("topic")).containsOnly("private/listed/a");

        assertThat(given().get("/api/v1/topics").then().statusCode(200).extract().<List<String>>path("topic"))
                .contains("public/listed").doesNotContain("private/listed/a");
        assertThat(bearer(subscriber("ann", "private/listed/**")).get("/api/v1/topics").then().statusCode(200)
                .extract().<List<String>>path("topic")).contains("public/listed", "private/listed/a");
    }

    @Test
    void aChatMessageSentWithATokenIsAuthoredByTheToken() {
        try (SseTestClient room = SseTestClient.open(root.resolve("/api/v1/chat/authors"))) {
            assertThat(room.status()).isEqualTo(200);
            bearer(sign(claims("u-17").claim("name", "Ann Example"))).contentType(ContentType.JSON)
                    .body("{\"author\":\"mallory\",\"text\":\"one\"}").post("/api/v1/chat/authors/messages")
                    .then().statusCode(201);
            bearer(plain("u-18")).contentType(ContentType.JSON).body("{\"text\":\"two\"}")
                    .post("/api/v1/chat/authors/messages").then().statusCode(201);
            given().contentType(ContentType.JSON).body("{\"author\":\"zoe\",\"text\":\"three\"}")
                    .post("/api/v1/chat/authors/messages").then().statusCode(201);

            List<Frame> messages = List.of(nextMessage(room), nextMessage(room), nextMessage(room));
            assertThat(messages).extracting(Frame::data).satisfiesExactly(
                    data -> assertThat(data).contains("\"author\":\"Ann Example\"", "\"text\":\"one\"").doesNotContain("mallory"),
                    data -> assertThat(data).contains("\"author\":\"u-18\"", "\"text\":\"two\""),
                    data -> assertThat(data).contains("\"author\":\"zoe\"", "\"text\":\"three\""));
        }
    }

    @Test
    void aStreamEndsWhenItsTokenExpiresAndTheTokenIsThenRefused() {
        String shortLived = sign(claims("ann").expiresAt(Instant.now().plusSeconds(2)));
        try (SseTestClient stream = SseTestClient.open(root.resolve("/api/v1/events?topic=users/ann/inbox"),
                Map.of("Authorization", "Bearer " + shortLived))) {
            assertThat(stream.status()).isEqualTo(200);
            assertThat(stream.awaitCleanEnd(Duration.ofSeconds(15))).as("the stream ended at the token's expiry").isTrue();
        }
        Response again = bearer(shortLived).get("/api/v1/events?topic=users/ann/inbox");
        assertProblem("reconnecting with the expired token", again, 401);
        assertThat(again.header("WWW-Authenticate")).contains("error=\"invalid_token\"");
    }

    @Test
    void noTokenReachesTheAccessLog() throws IOException {
        String token = subscriber("logged", "private/log/**");
        given().queryParam("access_token", token).get("/api/v1/topics/private/log/x/events").then().statusCode(200);
        given().cookie(Callers.COOKIE, token).get("/api/v1/topics/private/log/y/events").then().statusCode(200);
        bearer(token).get("/api/v1/topics/private/log/z/events").then().statusCode(200);

        Path log = Path.of(SecurityProfile.LOG_FILE);
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(log)
                && Files.readString(log).contains("/api/v1/topics/private/log/z/events"));
        String written = Files.readString(log);
        assertThat(written).contains("access_token=" + TokenMasking.MASK, Callers.COOKIE + "=" + TokenMasking.MASK,
                "Bearer " + TokenMasking.MASK);
        assertThat(written).doesNotContain(token).doesNotContain(token.substring(token.lastIndexOf('.') + 1));
    }

    private static Frame nextMessage(SseTestClient room) {
        return room.nextMatching(frame -> frame.isEvent() && frame.data().contains("\"text\":"));
    }

    private static RequestSpecification bearer(String token) {
        return given().header("Authorization", "Bearer " + token);
    }

    private static Response publish(RequestSpecification request, String topic, String dataJson) {
        return request.contentType(ContentType.JSON).body("{\"data\":" + dataJson + "}")
                .post("/api/v1/topics/" + topic + "/events");
    }

    private static String publishAsBackend(String topic, String dataJson) {
        return publish(bearer(PUBLISHER), topic, dataJson).then().statusCode(201).extract().path("id");
    }

    private static JsonNode assertProblem(String what, Response response, int status) {
        return Problems.assertProblem(what, response.statusCode(), response.contentType(), response.asString(), status);
    }
}
