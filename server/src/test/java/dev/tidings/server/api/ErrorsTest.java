package dev.tidings.server.api;

import static dev.tidings.server.support.Problems.assertProblem;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.tidings.server.support.Problems;
import dev.tidings.server.support.Publisher;
import dev.tidings.server.support.SseTestClient;
import dev.tidings.server.support.SseTestClient.Frame;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/** Every error status of the contract answers with a problem document; hostile input cannot forge frames. */
@QuarkusTest
class ErrorsTest {

    private static final int MAX_BYTES = 64 * 1024;
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @TestHTTPResource("/")
    URI root;

    private static String topic() {
        return "errors/" + UUID.randomUUID();
    }

    private static Response postJson(String path, String body) {
        return given().contentType(ContentType.JSON).body(body).when().post(path).then().extract().response();
    }

    private static Response get(String path) {
        return given().urlEncodingEnabled(false).when().get(path).then().extract().response();
    }

    private static void assertProblemResponse(String what, Response response, int status) {
        assertProblem(what, response.statusCode(), response.contentType(), response.asString(), status);
    }

    // ---------------------------------------------------------------- 400: publish bodies

    static Stream<Arguments> badPublishBodies() {
        return Stream.of(
                Arguments.of("malformed JSON", "{\"type\":\"message\",\"data\":"),
                Arguments.of("trailing garbage after the object", "{\"data\":1} x"),
                Arguments.of("empty body", ""),
                Arguments.of("body is an array", "[{\"data\":1}]"),
                Arguments.of("body is a string", "\"hello\""),
                Arguments.of("body is a number", "42"),
                Arguments.of("unknown field", "{\"type\":\"message\",\"data\":1,\"extra\":true}"),
                Arguments.of("repeated field", "{\"data\":1,\"data\":2}"),
                Arguments.of("type not a string", "{\"type\":5,\"data\":1}"),
                Arguments.of("type empty", "{\"type\":\"\",\"data\":1}"),
                Arguments.of("type 65 characters", "{\"type\":\"" + "t".repeat(65) + "\",\"data\":1}"),
                Arguments.of("type with a space", "{\"type\":\"a b\",\"data\":1}"),
                Arguments.of("type with a colon", "{\"type\":\"a:b\",\"data\":1}"),
                Arguments.of("type with a non-ASCII letter", "{\"type\":\"\u00e9v\u00e9nement\",\"data\":1}"),
                Arguments.of("type with CR LF", "{\"type\":\"a\\r\\nevent: forged\",\"data\":1}"),
                Arguments.of("reserved type reset", "{\"type\":\"reset\",\"data\":1}"),
                Arguments.of("reserved type presence", "{\"type\":\"presence\",\"data\":1}"),
                Arguments.of("reserved type tick", "{\"type\":\"tick\",\"data\":1}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badPublishBodies")
    void badPublishBodyIs400(String what, String body) {
        assertProblemResponse(what, postJson("/api/v1/topics/" + topic() + "/events", body), 400);
    }

    @Test
    void typeOf64AllowedCharactersIsAccepted() {
        String type = "A-z_0.9".repeat(9) + "x";
        assertThat(type).hasSize(64);
        Response response = postJson("/api/v1/topics/" + topic() + "/events", "{\"type\":\"" + type + "\",\"data\":1}");
        assertThat(response.statusCode()).as(response.asString()).isEqualTo(201);
    }

    // ---------------------------------------------------------------- 400: topics

    @ParameterizedTest(name = "publish to ''{0}''")
    @ValueSource(strings = { "a%20b", "a/*/b", "a/**", "a%0Ab", "a%3Ab", "a%2F%2Fb" })
    void publishToAnInvalidTopicIs400(String encodedTopic) throws Exception {
        HttpResponse<String> response = postRaw("/api/v1/topics/" + encodedTopic + "/events", "{\"data\":1}");
        assertProblem("publish to " + encodedTopic, response.statusCode(),
                response.headers().firstValue("Content-Type").orElse(null), response.body(), 400);
    }

    /**
     * An empty segment makes an invalid topic name; the request must be refused, not published to
     * the topic the path collapses to ({@code a//b} to {@code a/b}, {@code a/} to {@code a}).
     */
    @ParameterizedTest(name = "publish to ''{0}''")
    @ValueSource(strings = { "a//b", "a/", "/a" })
    void publishToATopicWithAnEmptySegmentIs400NotPublishedElsewhere(String topic) throws Exception {
        HttpResponse<String> response = postRaw("/api/v1/topics/" + topic + "/events", "{\"data\":1}");
        assertProblem("publish to " + topic, response.statusCode(),
                response.headers().firstValue("Content-Type").orElse(null), response.body(), 400);
    }

    @Test
    void publishToATopicOver256CharactersIs400() {
        String name = "t/" + "x".repeat(255);
        assertProblemResponse("257-char topic", postJson("/api/v1/topics/" + name + "/events", "{\"data\":1}"), 400);
        String longest = "t/" + "x".repeat(254);
        assertThat(postJson("/api/v1/topics/" + longest + "/events", "{\"data\":1}").statusCode())
                .as("a 256-char topic is valid").isEqualTo(201);
    }

    // ---------------------------------------------------------------- 400: chat

    @Test
    void chatMessagesOutsideTheRulesAre400() {
        String path = "/api/v1/chat/room-" + UUID.randomUUID() + "/messages";
        assertThat(postJson(path, chat("ann", "hello")).statusCode()).as("valid control message").isEqualTo(201);

        assertProblemResponse("empty text", postJson(path, chat("ann", "")), 400);
        assertProblemResponse("4001-char text", postJson(path, chat("ann", "x".repeat(4001))), 400);
        assertProblemResponse("4001 code points of multi-byte text", postJson(path, chat("ann", "\u00e9".repeat(4001))),
                400);
        assertProblemResponse("author missing", postJson(path, "{\"text\":\"hello\"}"), 400);
        assertProblemResponse("author empty", postJson(path, chat("", "hello")), 400);
        assertProblemResponse("text missing", postJson(path, "{\"author\":\"ann\"}"), 400);
        assertProblemResponse("text not a string", postJson(path, "{\"author\":\"ann\",\"text\":7}"), 400);
        assertProblemResponse("unknown field", postJson(path, "{\"author\":\"ann\",\"text\":\"hi\",\"room\":\"x\"}"),
                400);
        assertProblemResponse("room that is not a segment",
                given().urlEncodingEnabled(false).contentType(ContentType.JSON).body(chat("ann", "hi"))
                        .when().post("/api/v1/chat/a%20b/messages").then().extract().response(),
                400);
    }

    @Test
    void chatTextOf4000MultiByteCharactersIsAcceptedAndKeptIntact() {
        String room = "room-" + UUID.randomUUID();
        // 4000 code points: 2-byte, 3-byte and 4-byte (surrogate pair) UTF-8 characters.
        String text = "\u00e9\u4e2d\uD83D\uDE00\u00fc".repeat(1000);
        assertThat(text.codePointCount(0, text.length())).isEqualTo(4000);

        Response response = postJson("/api/v1/chat/" + room + "/messages", chat("\u00c5sa", text));
        assertThat(response.statusCode()).as(response.asString()).isEqualTo(201);
        String id = response.path("id");
        assertThat(id).isNotBlank();
        assertThat((String) response.path("topic")).isEqualTo("chat/" + room);

        JsonNode history = Problems.parse("history",
                get("/api/v1/topics/chat/" + room + "/events").then().statusCode(200).extract().asString());
        JsonNode stored = null;
        for (JsonNode event : history) {
            if (id.equals(event.path("id").asText())) {
                stored = event;
            }
        }
        assertThat(stored).as("published message in history %s", history).isNotNull();
        assertThat(stored.path("type").asText()).isEqualTo("message");
        assertThat(stored.path("data").path("text").asText()).isEqualTo(text);
        assertThat(stored.path("data").path("author").asText()).isEqualTo("\u00c5sa");
    }

    private static String chat(String author, String text) {
        ObjectNode body = Problems.json().createObjectNode().put("author", author).put("text", text);
        return body.toString();
    }

    // ---------------------------------------------------------------- 400: notifications

    @Test
    void notificationsOutsideTheRulesAre400() {
        String channel = "ch-" + UUID.randomUUID();
        assertThat(postJson("/api/v1/notifications", notification(channel, "info", "https://example.com/x"))
                .statusCode()).as("valid control notification").isEqualTo(201);
        assertThat(postJson("/api/v1/notifications", notification(channel, "error", "/orders/17")).statusCode())
                .as("valid notification with a site path link").isEqualTo(201);

        assertProblemResponse("level fatal", postJson("/api/v1/notifications", notification(channel, "fatal", null)),
                400);
        assertProblemResponse("link javascript:", postJson("/api/v1/notifications",
                notification(channel, "info", "javascript:alert(1)")), 400);
        assertProblemResponse("link JavaScript: mixed case", postJson("/api/v1/notifications",
                notification(channel, "info", "JavaScript:alert(1)")), 400);
        assertProblemResponse("link data:", postJson("/api/v1/notifications",
                notification(channel, "info", "data:text/html,<script>alert(1)</script>")), 400);
        assertProblemResponse("link protocol-relative", postJson("/api/v1/notifications",
                notification(channel, "info", "//evil.example/x")), 400);
        assertProblemResponse("channel with a slash", postJson("/api/v1/notifications",
                notification("a/b", "info", null)), 400);
        assertProblemResponse("title missing", postJson("/api/v1/notifications",
                "{\"channel\":\"" + channel + "\",\"level\":\"info\"}"), 400);
        assertProblemResponse("level missing", postJson("/api/v1/notifications",
                "{\"channel\":\"" + channel + "\",\"title\":\"t\"}"), 400);
    }

    private static String notification(String channel, String level, String link) {
        ObjectNode body = Problems.json().createObjectNode()
                .put("channel", channel).put("title", "Deploy").put("body", "done").put("level", level);
        if (link != null) {
            body.put("link", link);
        }
        return body.toString();
    }

    // ---------------------------------------------------------------- 400: streams and history

    @ParameterizedTest(name = "GET {0}")
    @ValueSource(strings = {
            "/api/v1/events",
            "/api/v1/events?topic=",
            "/api/v1/events?topic=a/**x",
            "/api/v1/events?topic=a//b",
            "/api/v1/events?topic=a%20b",
            "/api/v1/events?topic=ok&topic=a/***",
            "/api/v1/notifications?channel=a/b",
            "/api/v1/timer?period=PT0.01S",
            "/api/v1/timer?period=soon" })
    void badStreamRequestIs400(String path) {
        assertProblemResponse("GET " + path, get(path), 400);
    }

    @ParameterizedTest(name = "limit={0}")
    @ValueSource(strings = { "0", "1001", "-1", "ten" })
    void historyLimitOutOfRangeIs400(String limit) {
        String topic = topic();
        Publisher.publish(topic, "{\"n\":1}");
        assertProblemResponse("limit=" + limit, get("/api/v1/topics/" + topic + "/events?limit=" + limit), 400);
    }

    @Test
    void historyLimitBoundsAreAccepted() {
        String topic = topic();
        Publisher.publish(topic, "{\"n\":1}");
        assertThat(get("/api/v1/topics/" + topic + "/events?limit=1").statusCode()).isEqualTo(200);
        assertThat(get("/api/v1/topics/" + topic + "/events?limit=1000").statusCode()).isEqualTo(200);
    }

    @Test
    void historyAfterSomethingThatIsNotAnIdIs400() {
        String topic = topic();
        Publisher.publish(topic, "{\"n\":1}");
        assertProblemResponse("after=not-an-id", get("/api/v1/topics/" + topic + "/events?after=not-an-id"), 400);
    }

    @Test
    void historyOfAnInvalidTopicIs400() {
        assertProblemResponse("history of a/*", get("/api/v1/topics/a/*/events"), 400);
    }

    // ---------------------------------------------------------------- 410

    @ParameterizedTest(name = "after={0}")
    @ValueSource(strings = { "1-0", "99999999999999-0" })
    void historyAfterAnUnknownIdIs410(String after) {
        String topic = topic();
        Publisher.publish(topic, "{\"n\":1}");
        assertProblemResponse("after=" + after, get("/api/v1/topics/" + topic + "/events?after=" + after), 410);
    }

    // ---------------------------------------------------------------- 404

    @Test
    void unknownRoutesUnderTheApiAre404() {
        assertProblemResponse("GET /api/v1/nothing", get("/api/v1/nothing"), 404);
        assertProblemResponse("GET /api/v1/nothing/deeper", get("/api/v1/nothing/deeper"), 404);
        assertProblemResponse("POST /api/v1/nothing", postJson("/api/v1/nothing", "{\"data\":1}"), 404);
        assertProblemResponse("GET /api/v1/topics/x (no /events)", get("/api/v1/topics/x"), 404);
    }

    // ---------------------------------------------------------------- 413

    @Test
    void bodyOverTheLimitWithContentLengthIs413() {
        String topic = topic();
        String atLimit = bodyOfExactly(MAX_BYTES);
        Response accepted = postJson("/api/v1/topics/" + topic + "/events", atLimit);
        assertThat(accepted.statusCode()).as("a body of exactly %d bytes is within the limit: %s", MAX_BYTES,
                accepted.asString()).isEqualTo(201);

        assertProblemResponse("body of limit + 1 bytes",
                postJson("/api/v1/topics/" + topic + "/events", bodyOfExactly(MAX_BYTES + 1)), 413);
        assertProblemResponse("body of 200 KiB", postJson("/api/v1/topics/" + topic + "/events",
                bodyOfExactly(200 * 1024)), 413);
        assertProblemResponse("chat body of 100 KiB", postJson("/api/v1/chat/r/messages",
                "{\"author\":\"a\",\"text\":\"" + "x".repeat(100 * 1024) + "\"}"), 413);
        assertProblemResponse("notification body of 100 KiB", postJson("/api/v1/notifications",
                "{\"channel\":\"c\",\"title\":\"" + "x".repeat(100 * 1024) + "\",\"level\":\"info\"}"), 413);
    }

    @Test
    void chunkedBodyOverTheLimitIs413() throws Exception {
        String topic = topic();
        HttpResponse<String> atLimit = postChunked("/api/v1/topics/" + topic + "/events", bodyOfExactly(MAX_BYTES));
        assertThat(atLimit.statusCode()).as("chunked body of exactly the limit: %s", atLimit.body()).isEqualTo(201);

        HttpResponse<String> over = postChunked("/api/v1/topics/" + topic + "/events", bodyOfExactly(MAX_BYTES + 1));
        assertProblem("chunked body of limit + 1 bytes", over.statusCode(),
                over.headers().firstValue("Content-Type").orElse(null), over.body(), 413);

        HttpResponse<String> large = postChunked("/api/v1/topics/" + topic + "/events", bodyOfExactly(200 * 1024));
        assertProblem("chunked body of 200 KiB", large.statusCode(),
                large.headers().firstValue("Content-Type").orElse(null), large.body(), 413);
    }

    /** Larger than quarkus.http.limits.max-body-size (1M): a problem too, whether the length was declared or not. */
    @Test
    void bodyOverTheHttpLayerLimitIs413() throws Exception {
        String path = "/api/v1/topics/" + topic() + "/events";
        String body = bodyOfExactly(2 * 1024 * 1024);
        HttpResponse<String> declared = postRaw(path, body);
        assertProblem("2 MiB body with Content-Length", declared.statusCode(),
                declared.headers().firstValue("Content-Type").orElse(null), declared.body(), 413);
        HttpResponse<String> chunked = postChunked(path, body);
        assertProblem("2 MiB chunked body", chunked.statusCode(),
                chunked.headers().firstValue("Content-Type").orElse(null), chunked.body(), 413);
    }

    /** A valid publish body of exactly {@code bytes} UTF-8 bytes. */
    private static String bodyOfExactly(int bytes) {
        String prefix = "{\"data\":\"";
        String suffix = "\"}";
        String body = prefix + "x".repeat(bytes - prefix.length() - suffix.length()) + suffix;
        assertThat(body.getBytes(StandardCharsets.UTF_8)).hasSize(bytes);
        return body;
    }

    /** Posts JSON with the path sent exactly as given (no client-side normalisation or encoding). */
    private HttpResponse<String> postRaw(String path, String body) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(root.toString().replaceAll("/$", "") + path))
                .timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        assertThat(request.uri().getRawPath()).endsWith(path);
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** Sends the body with {@code Transfer-Encoding: chunked}: no Content-Length for the server to check. */
    private HttpResponse<String> postChunked(String path, String body) throws IOException, InterruptedException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        HttpRequest request = HttpRequest.newBuilder(root.resolve(path))
                .timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes)))
                .build();
        assertThat(request.bodyPublisher().orElseThrow().contentLength()).as("unknown length, sent chunked")
                .isNegative();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    // ---------------------------------------------------------------- 415

    @Test
    void wrongContentTypeIs415() {
        String topic = topic();
        Response plain = given().contentType(ContentType.TEXT).body("{\"data\":1}")
                .when().post("/api/v1/topics/" + topic + "/events").then().extract().response();
        assertProblemResponse("text/plain publish", plain, 415);

        Response form = given().contentType("application/x-www-form-urlencoded").body("data=1")
                .when().post("/api/v1/topics/" + topic + "/events").then().extract().response();
        assertProblemResponse("form publish", form, 415);

        Response chat = given().contentType(ContentType.TEXT).body("{\"author\":\"a\",\"text\":\"b\"}")
                .when().post("/api/v1/chat/r/messages").then().extract().response();
        assertProblemResponse("text/plain chat message", chat, 415);

        Response notification = given().contentType(ContentType.TEXT)
                .body("{\"channel\":\"c\",\"title\":\"t\",\"level\":\"info\"}")
                .when().post("/api/v1/notifications").then().extract().response();
        assertProblemResponse("text/plain notification", notification, 415);
    }

    // ---------------------------------------------------------------- SSE frame injection

    @Test
    void lineBreaksInDataCannotForgeAFrame() {
        String topic = topic();
        String hostile = "x\r\n\r\nevent: forged\r\ndata: y";
        ObjectNode body = Problems.json().createObjectNode().put("type", "custom").put("data", hostile);
        try (SseTestClient client = SseTestClient.open(root.resolve("/api/v1/events?topic=" + topic))) {
            assertThat(client.status()).isEqualTo(200);
            assertThat(client.next().retry()).isNotNull();

            String id = postJson("/api/v1/topics/" + topic + "/events", body.toString())
                    .then().statusCode(201).extract().path("id");
            String marker = Publisher.publish(topic, "{\"marker\":true}");

            Frame event = client.nextEvent();
            assertThat(event.id()).isEqualTo(id);
            assertThat(event.event()).isEqualTo("custom");
            assertThat(event.data()).doesNotContain("\r", "\n");
            JsonNode envelope = Problems.parse("event data", event.data());
            assertThat(envelope.path("data").isTextual()).isTrue();
            assertThat(envelope.path("data").textValue()).isEqualTo(hostile);
            assertThat(envelope.path("type").asText()).isEqualTo("custom");
            assertThat(envelope.path("topic").asText()).isEqualTo(topic);

            // Exactly one event came of it: the next event is the marker, nothing forged in between.
            Frame next = client.nextEvent();
            assertThat(next.event()).as("no forged event").isEqualTo("message");
            assertThat(next.id()).isEqualTo(marker);
        }
    }

    @Test
    void lineBreaksInChatFieldsCannotForgeAFrame() {
        String room = "room-" + UUID.randomUUID();
        String hostile = "hi\n\nevent: forged\ndata: {}\n\nid: 9999999999999-0\n";
        try (SseTestClient client = SseTestClient.open(root.resolve("/api/v1/chat/" + room))) {
            assertThat(client.status()).isEqualTo(200);
            String id = postJson("/api/v1/chat/" + room + "/messages", chat("eve\r\nevent: forged", hostile))
                    .then().statusCode(201).extract().path("id");
            Frame message = client.nextMatching(frame -> "message".equals(frame.event()) || "forged".equals(frame.event()));
            assertThat(message.event()).isEqualTo("message");
            assertThat(message.id()).isEqualTo(id);
            JsonNode data = Problems.parse("chat data", message.data()).path("data");
            assertThat(data.path("text").textValue()).isEqualTo(hostile);
            assertThat(data.path("author").textValue()).isEqualTo("eve\r\nevent: forged");
        }
    }
}
