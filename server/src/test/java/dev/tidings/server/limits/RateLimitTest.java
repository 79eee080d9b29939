package dev.tidings.server.limits;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.tidings.server.security.TestTokens;
import dev.tidings.server.support.Metrics;
import dev.tidings.server.support.Problems;
import dev.tidings.server.support.SseTestClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * Per-client limits over real HTTP: this test's own connections come from 127.0.0.1, a trusted
 * proxy here, so each test names its clients with {@code X-Forwarded-For}.
 */
@QuarkusTest
@TestProfile(RateLimitTest.SmallLimits.class)
class RateLimitTest {

    static final int RATE = 2;
    static final int BURST = 3;
    static final int STREAMS = 2;
    private static final String REFUSED = "tidings_limits_refused_total";

    public static class SmallLimits implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "tidings.limits.publish-rate", String.valueOf(RATE),
                    "tidings.limits.publish-burst", String.valueOf(BURST),
                    "tidings.limits.streams", String.valueOf(STREAMS),
                    "tidings.limits.trusted-proxies", "127.0.0.1");
        }
    }

    @TestHTTPResource("/")
    URI root;

    @Inject
    ClientLimits limits;

    @Test
    void aClientPastItsBurstGets429WithRetryAfterThenPublishesAgainOnceItsBudgetRefills() {
        double refusedBefore = Metrics.value(REFUSED, "limit=\"publish\"");
        for (int i = 0; i < BURST; i++) {
            assertThat(publish("198.51.100.1", null).statusCode()).as("publish %d of the burst", i + 1).isEqualTo(201);
        }
        Response refused = publish("198.51.100.1", null);
        Problems.assertProblem("publish past the burst", refused.statusCode(), refused.contentType(), refused.asString(), 429);
        assertThat(Integer.parseInt(refused.header("Retry-After"))).isBetween(1, 2);
        assertThat(publish("198.51.100.2", null).statusCode()).as("another client's budget").isEqualTo(201);
        assertThat(Metrics.value(REFUSED, "limit=\"publish\"")).isEqualTo(refusedBefore + 1);

        await().atMost(Duration.ofSeconds(10)).until(() -> publish("198.51.100.1", null).statusCode() == 201);
    }

    @Test
    void aTokenHoldersBudgetFollowsItsSubjectWhateverAddressItComesFrom() {
        String token = TestTokens.plain("limited-subject");
        for (int i = 0; i < BURST; i++) {
            assertThat(publish("198.51.100.10", token).statusCode()).isEqualTo(201);
        }
        assertThat(publish("198.51.100.11", token).statusCode()).isEqualTo(429);
        assertThat(publish("198.51.100.11", null).statusCode()).as("the address's own budget").isEqualTo(201);
    }

    @Test
    void aClientHoldsAtMostItsStreamsAndGetsOneBackWhenItClosesOne() {
        double refusedBefore = Metrics.value(REFUSED, "limit=\"streams\"");
        URI events = root.resolve("/api/v1/events?topic=limits/s");
        List<SseTestClient> open = new ArrayList<>();
        try {
            open.add(stream(events, "198.51.100.20"));
            open.add(stream(root.resolve("/api/v1/timer"), "198.51.100.20"));
            open.forEach(client -> assertThat(client.status()).isEqualTo(200));

            Response refused = given().header("X-Forwarded-For", "198.51.100.20").get("/api/v1/chat/limits");
            Problems.assertProblem("a stream past the limit", refused.statusCode(), refused.contentType(),
                    refused.asString(), 429);
            assertThat(refused.header("Retry-After")).isNotBlank();
            assertThat(Metrics.value(REFUSED, "limit=\"streams\"")).isEqualTo(refusedBefore + 1);
            try (SseTestClient other = stream(events, "198.51.100.21")) {
                assertThat(other.status()).as("another client's streams").isEqualTo(200);
            }

            open.remove(0).close();
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                try (SseTestClient again = stream(events, "198.51.100.20")) {
                    return again.status() == 200;
                }
            });
        } finally {
            open.forEach(SseTestClient::close);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> limits.countedStreams() == 0);
    }

    @Test
    void aStreamRefusedForAccessTakesNothingFromTheClient() {
        for (int i = 0; i < STREAMS + 2; i++) {
            assertThat(given().header("X-Forwarded-For", "198.51.100.30").get("/api/v1/events?topic=private/x")
                    .statusCode()).isEqualTo(401);
        }
        try (SseTestClient allowed = stream(root.resolve("/api/v1/events?topic=limits/t"), "198.51.100.30")) {
            assertThat(allowed.status()).isEqualTo(200);
        }
    }

    @Test
    void forwardedForFromAPeerThatIsNoProxyIsIgnored() throws IOException {
        // From 127.0.0.2, not a trusted proxy: every request counts against 127.0.0.2, whatever it claims.
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i <= BURST; i++) {
            statuses.add(rawPublishFrom("127.0.0.2", "203.0.113." + (i + 1)));
        }
        assertThat(statuses).startsWith(201, 201, 201).endsWith(429);
    }

    private static Response publish(String client, String token) {
        var request = given().header("X-Forwarded-For", client).contentType(ContentType.JSON);
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return request.body("{\"data\":1}").post("/api/v1/topics/limits/p/events");
    }

    private static SseTestClient stream(URI uri, String client) {
        return SseTestClient.open(uri, Map.of("X-Forwarded-For", client));
    }

    private int rawPublishFrom(String source, String forwardedFor) throws IOException {
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(InetAddress.getByName(source), 0));
            socket.connect(new InetSocketAddress(root.getHost(), root.getPort()), 5000);
            socket.setSoTimeout(10_000);
            String body = "{\"data\":1}";
            String head = "POST /api/v1/topics/limits/raw/events HTTP/1.1\r\nHost: " + root.getHost() + "\r\n"
                    + "Content-Type: application/json\r\nContent-Length: " + body.length() + "\r\n"
                    + "X-Forwarded-For: " + forwardedFor + "\r\nConnection: close\r\n\r\n";
            OutputStream out = socket.getOutputStream();
            out.write((head + body).getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String statusLine = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
            return Integer.parseInt(statusLine.substring(9, 12));
        }
    }
}
