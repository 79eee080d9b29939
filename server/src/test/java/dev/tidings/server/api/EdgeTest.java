package dev.tidings.server.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;

import dev.tidings.server.support.Metrics;
import dev.tidings.server.support.Problems;
import dev.tidings.server.support.RawHttp;
import dev.tidings.server.support.RawHttp.Answer;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The HTTP edge, spoken to byte for byte: what clients send that libraries would fix for them is
 * refused with a problem document, never rewritten, and never leaves a trace in the metrics.
 */
@QuarkusTest
class EdgeTest {

    @TestHTTPResource("/")
    URI root;

    private static String topic() {
        return "edge/" + UUID.randomUUID();
    }

    private static String post(String path, String contentType, String body) {
        return "POST " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
                + (contentType == null ? "" : "Content-Type: " + contentType + "\r\n")
                + "Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body;
    }

    private static String get(String target, String... headers) {
        return "GET " + target + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
                + String.join("", List.of(headers).stream().map(h -> h + "\r\n").toList()) + "\r\n";
    }

    private static JsonNode history(String topic) {
        String body = given().when().get("/api/v1/topics/" + topic + "/events").then().statusCode(200)
                .extract().asString();
        return Problems.parse("history of " + topic, body);
    }

    // ------------------------------------------------------------ 415: a publish must say it is JSON

    @ParameterizedTest(name = "Content-Type ''{0}''")
    @ValueSource(strings = { "", "*/*", "application/*", "text/plain", "application/jsonx", "application/json-patch+json" })
    void aPublishThatDoesNotDeclareJsonIs415AndPublishesNothing(String contentType) {
        String topic = topic();
        String declared = contentType.isEmpty() ? null : contentType;
        for (String path : List.of("/api/v1/topics/" + topic + "/events", "/api/v1/chat/edge/messages",
                "/api/v1/notifications")) {
            RawHttp.one(root, post(path, declared, "{\"data\":1}")).assertProblem("POST " + path + " as " + contentType, 415);
        }
        assertThat(history(topic)).as("nothing was published").isEmpty();
    }

    @Test
    void jsonWithACharsetParameterIsAccepted() {
        Answer answer = RawHttp.one(root, post("/api/v1/topics/" + topic() + "/events", "Application/JSON; charset=utf-8",
                "{\"data\":1}"));
        assertThat(answer.status()).as(answer.body()).isEqualTo(201);
    }

    // ------------------------------------------------------------ 405, HEAD and OPTIONS

    @Test
    void aWrongMethodIs405WithTheMethodsThePathAnswers() {
        record Case(String method, String path, String allow) {
        }
        for (Case c : List.of(new Case("DELETE", "/api/v1/events?topic=a", "GET, HEAD, OPTIONS"),
                new Case("POST", "/api/v1/timer", "GET, HEAD, OPTIONS"),
                new Case("PUT", "/api/v1/notifications", "GET, POST, HEAD, OPTIONS"),
                new Case("POST", "/api/v1/chat/room", "GET, HEAD, OPTIONS"),
                new Case("GET", "/api/v1/chat/room/messages", "POST, OPTIONS"),
                new Case("PATCH", "/api/v1/topics", "GET, HEAD, OPTIONS"),
                new Case("FROBNICATE", "/api/v1/topics/a/b/events", "GET, POST, HEAD, OPTIONS"))) {
            Answer answer = RawHttp.one(root, c.method() + " " + c.path()
                    + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
            answer.assertProblem(c.method() + " " + c.path(), 405);
            assertThat(answer.header("Allow")).as("Allow of %s", c.path()).isEqualTo(c.allow());
        }
    }

    @Test
    void optionsTellsWhatAPathAnswers() {
        Answer answer = RawHttp.one(root, "OPTIONS /api/v1/topics/a/events HTTP/1.1\r\nHost: localhost\r\n"
                + "Connection: close\r\n\r\n");
        assertThat(answer.status()).isEqualTo(204);
        assertThat(answer.header("Allow")).isEqualTo("GET, POST, HEAD, OPTIONS");
    }

    @Test
    void headOfAStreamAnswersItsHeadWithoutOpeningIt() {
        String topic = topic();
        double open = Metrics.openStreams("events");
        Answer answer = RawHttp.one(root, "HEAD /api/v1/events?topic=" + topic + " HTTP/1.1\r\nHost: localhost\r\n"
                + "Connection: close\r\n\r\n");
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.header("Content-Type")).startsWith("text/event-stream");
        assertThat(answer.body()).isEmpty();
        assertThat(Metrics.openStreams("events")).as("no stream was opened").isEqualTo(open);
    }

    // ------------------------------------------------------------ metrics stay bounded

    @Test
    void madeUpMethodsAndPathsDoNotBecomeMetricTags() {
        String marker = UUID.randomUUID().toString().substring(0, 8);
        for (int i = 0; i < 50; i++) {
            RawHttp.exchange(root, "M" + marker + i + " /api/v1/topics/" + marker + i + "/events HTTP/1.1\r\n"
                    + "Host: localhost\r\nConnection: close\r\n\r\n");
            RawHttp.exchange(root, get("/api/v1/topics/" + marker + i + ";x/events"));
            RawHttp.exchange(root, get("/api/v1/" + marker + i));
        }
        String scraped = Metrics.scrape();
        assertThat(scraped).as("no made-up method or path is a tag").doesNotContain(marker);
        assertThat(scraped).contains("method=\"OTHER\"");
    }

    // ------------------------------------------------------------ paths are taken exactly as sent

    @ParameterizedTest(name = "topic path ''{0}''")
    @ValueSource(strings = { "a;x=1", "a%3Bx=1", "a%2Fb", "a%2fb", "a%5Cb", "a/%2e%2e/b", "a/./b" })
    void aPathTheRouterWouldRewriteIs400AndPublishesNowhere(String path) {
        String base = topic();
        RawHttp.one(root, post("/api/v1/topics/" + base + "/" + path + "/events", "application/json", "{\"data\":1}"))
                .assertProblem("publish to " + path, 400);
        for (String rewritten : List.of(base + "/a", base + "/a/b", base + "/b")) {
            assertThat(history(rewritten)).as("nothing reached %s", rewritten).isEmpty();
        }
    }

    // ------------------------------------------------------------ bodies

    /** Exponents past what a BigDecimal holds on every JDK (JDK 25, the native image's, holds 1e2147483648; 17 does not). */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { "1e2147483649", "1e-2147483649" })
    void aNumberTooLargeToHoldIs400(String number) {
        RawHttp.one(root, post("/api/v1/topics/" + topic() + "/events", "application/json", "{\"data\":" + number + "}"))
                .assertProblem(number, 400);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { "overlong '/' C0 AF", "CESU-8 surrogate pair ED A0 BD ED B8 80", "truncated E2 82",
            "lone continuation 80", "byte FF" })
    void invalidUtf8Is400NotRewritten(String what) {
        byte[] bad = switch (what.substring(0, 4)) {
            case "over" -> new byte[] { (byte) 0xC0, (byte) 0xAF };
            case "CESU" -> new byte[] { (byte) 0xED, (byte) 0xA0, (byte) 0xBD, (byte) 0xED, (byte) 0xB8, (byte) 0x80 };
            case "trun" -> new byte[] { (byte) 0xE2, (byte) 0x82 };
            case "lone" -> new byte[] { (byte) 0x80 };
            default -> new byte[] { (byte) 0xFF };
        };
        String topic = topic();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes("{\"data\":\"".getBytes(StandardCharsets.US_ASCII));
        body.writeBytes(bad);
        body.writeBytes("\"}".getBytes(StandardCharsets.US_ASCII));
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        request.writeBytes(("POST /api/v1/topics/" + topic + "/events HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
                + "Content-Type: application/json\r\nContent-Length: " + body.size() + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        request.writeBytes(body.toByteArray());
        List<Answer> answers = RawHttp.exchange(root, request.toByteArray());
        assertThat(answers).hasSize(1);
        answers.get(0).assertProblem(what, 400);
        assertThat(history(topic)).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { "\\ud800", "\\udfff", "a\\ud83dz" })
    void anEscapedLoneSurrogateIs400(String escaped) {
        RawHttp.one(root, post("/api/v1/topics/" + topic() + "/events", "application/json",
                "{\"data\":\"" + escaped + "\"}")).assertProblem(escaped, 400);
    }

    @Test
    void validMultiByteTextAndEscapedPairsArriveIntact() {
        String topic = topic();
        String text = "h\u00e9llo \u4e16\u754c \ud83d\ude00";
        Answer answer = RawHttp.one(root, post("/api/v1/topics/" + topic + "/events", "application/json",
                "{\"data\":[\"" + text + "\",\"\\ud83d\\ude00\"]}"));
        assertThat(answer.status()).as(answer.body()).isEqualTo(201);
        JsonNode data = history(topic).get(0).path("data");
        assertThat(data.get(0).textValue()).isEqualTo(text);
        assertThat(data.get(1).textValue()).isEqualTo("\ud83d\ude00");
    }

    @Test
    void anEmptyBodyIs400WhetherDeclaredOrChunked() {
        String path = "/api/v1/topics/" + topic() + "/events";
        RawHttp.one(root, post(path, "application/json", "")).assertProblem("Content-Length: 0", 400);
        RawHttp.one(root, "POST " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
                + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n")
                .assertProblem("empty chunked body", 400);
    }

    @Test
    void aChunkedBodyPastTheHttpCapIsA413Problem() {
        StringBuilder request = new StringBuilder("POST /api/v1/topics/" + topic() + "/events HTTP/1.1\r\n"
                + "Host: localhost\r\nConnection: close\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n");
        String chunk = "a".repeat(64 * 1024);
        for (int i = 0; i < 20; i++) {
            request.append(Integer.toHexString(chunk.length())).append("\r\n").append(chunk).append("\r\n");
        }
        request.append("0\r\n\r\n");
        RawHttp.one(root, request.toString()).assertProblem("1.25 MiB chunked", 413);
    }

    /** Refused by the HTTP decoder before any route: a bare 400, then the connection is closed. */
    @Test
    void aMalformedContentLengthIs400AndClosesTheConnection() {
        List<Answer> answers = RawHttp.exchange(root, "POST /api/v1/topics/" + topic() + "/events HTTP/1.1\r\n"
                + "Host: localhost\r\nContent-Type: application/json\r\nContent-Length: 1x\r\n\r\n{\"data\":1}"
                + get("/api/v1/topics"));
        assertThat(answers).as("one answer, then the connection was closed").extracting(Answer::status)
                .containsExactly(400);
    }

    /** Refused by the HTTP layer before any route (a bare 400); the body is still framed, so the next request is answered. */
    @ParameterizedTest(name = "target {0}")
    @ValueSource(strings = { "/api/v1/topics/a%zz/events", "/api/v1/topics/a\\b/events", "/api/v1/events?topic=%zz" })
    void aTargetThatIsNotAUriIs400AndNothingIsPublished(String target) {
        List<Answer> answers = RawHttp.exchange(root, "POST " + target + " HTTP/1.1\r\nHost: localhost\r\n"
                + "Content-Type: application/json\r\nContent-Length: 10\r\n\r\n{\"data\":1}" + get("/api/v1/topics"));
        assertThat(answers).extracting(Answer::status).containsExactly(400, 200);
        assertThat(answers.get(1).body()).doesNotContain("a%zz", "a\\b");
    }

    // ------------------------------------------------------------ heads

    @Test
    void aRequestWithoutHostIs400Problem() {
        RawHttp.one(root, "GET /api/v1/topics HTTP/1.1\r\nConnection: close\r\n\r\n").assertProblem("no Host", 400);
    }

    @Test
    void aLongRequestTargetIs414ProblemAndClosesTheConnection() {
        String target = "/api/v1/topics?pad=" + "a".repeat(ApiRoutes.MAX_URI_LENGTH);
        // No Connection: close asked for; the server closes after answering.
        List<Answer> answers = RawHttp.exchange(root, "GET " + target + " HTTP/1.1\r\nHost: localhost\r\n\r\n");
        assertThat(answers).hasSize(1);
        answers.get(0).assertProblem("long target", 414);
    }

    @Test
    void largeHeadersAre431ProblemAndCloseTheConnection() {
        String headers = "X-Pad: " + "v".repeat(ApiRoutes.MAX_HEADER_BYTES) + "\r\n";
        List<Answer> answers = RawHttp.exchange(root, "GET /api/v1/topics HTTP/1.1\r\nHost: localhost\r\n" + headers + "\r\n");
        assertThat(answers).hasSize(1);
        answers.get(0).assertProblem("large headers", 431);
    }

    @Test
    void bothContentLengthAndChunkedAreFramedByChunkedSoNothingIsSmuggled() {
        // Framed by Content-Length, the first body would end after "5c\r\n" and the rest would be a
        // second request; framed by chunked (RFC 9112 6.3) it is one bad body, then the last request.
        String smuggled = "GET /api/v1/topics/smuggled/events HTTP/1.1\r\nHost: localhost\r\nContent-Length: 10\r\n\r\n";
        String chunk = smuggled + "x".repeat(0x5c - smuggled.length());
        String request = "POST /api/v1/topics/" + topic() + "/events HTTP/1.1\r\nHost: localhost\r\n"
                + "Content-Type: application/json\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5c\r\n" + chunk + "\r\n0\r\n\r\n"
                + get("/api/v1/topics");
        List<Answer> answers = RawHttp.exchange(root, request);
        assertThat(answers).extracting(Answer::status).containsExactly(400, 200);
    }

    // ------------------------------------------------------------ timer ids

    @ParameterizedTest(name = "Last-Event-ID {0}")
    @ValueSource(strings = { "9223372036854775807", "99999999999999999999", "-1", "x" })
    void aTimerIdThatCannotBeASequenceNumberIs400(String lastEventId) {
        RawHttp.one(root, get("/api/v1/timer?period=PT1S", "Last-Event-ID: " + lastEventId))
                .assertProblem("Last-Event-ID " + lastEventId, 400);
    }
}
