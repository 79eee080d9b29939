package dev.tidings.server.sse;

import static dev.tidings.server.support.Publisher.publish;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.tidings.server.support.SseTestClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * A stream outlives the HTTP idle timeout: a client that only reads is not idle, whether events
 * keep coming or only heartbeats do. A client that stalls half-way through its request (slowloris)
 * is cut off by the same timeout.
 */
@QuarkusTest
@TestProfile(StreamIdleTimeoutTest.ShortIdleTimeout.class)
class StreamIdleTimeoutTest {

    private static final Duration IDLE_TIMEOUT = Duration.ofSeconds(1);

    public static class ShortIdleTimeout implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.http.idle-timeout", IDLE_TIMEOUT.toMillis() + "ms");
        }
    }

    @TestHTTPResource("/")
    URI root;

    @TestHTTPResource("/api/v1/events?topic=idle/busy")
    URI busy;

    @TestHTTPResource("/api/v1/events?topic=idle/quiet")
    URI quiet;

    @Test
    void aStreamBusyWithEventsForThreeIdleTimeoutsStaysOpen() {
        try (SseTestClient client = SseTestClient.open(busy)) {
            assertThat(client.next().retry()).isNotNull();
            long until = System.nanoTime() + IDLE_TIMEOUT.multipliedBy(3).toNanos();
            int received = 0;
            while (System.nanoTime() < until) {
                String id = publish("idle/busy", "{\"n\":" + received + "}");
                assertThat(client.nextEvent().id()).isEqualTo(id);
                received++;
            }
            String last = publish("idle/busy", "{\"last\":true}");
            assertThat(client.nextEvent().id()).isEqualTo(last);
        }
    }

    @Test
    void aQuietStreamKeptAliveByHeartbeatsStaysOpen() {
        try (SseTestClient client = SseTestClient.open(quiet)) {
            assertThat(client.next().retry()).isNotNull();
            long until = System.nanoTime() + IDLE_TIMEOUT.multipliedBy(3).toNanos();
            while (System.nanoTime() < until) {
                assertThat(client.next().comment()).isEqualTo("hb");
            }
            String id = publish("idle/quiet", "{\"after\":\"heartbeats\"}");
            assertThat(client.nextEvent().id()).isEqualTo(id);
        }
    }

    @Test
    void aRequestHeadThatStallsIsClosed() throws Exception {
        assertThat(closedByServerAfterSending("POST /api/v1/topics/idle/slow/events HTTP/1.1\r\nHost: localhost\r\n"))
                .as("connection closed while the head was unfinished").isTrue();
    }

    @Test
    void aRequestBodyThatStallsIsClosed() throws Exception {
        assertThat(closedByServerAfterSending("POST /api/v1/topics/idle/slow/events HTTP/1.1\r\nHost: localhost\r\n"
                + "Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"data\":"))
                .as("connection closed while the body was unfinished").isTrue();
    }

    /** Sends a partial request, then waits (bounded: ten idle timeouts) for the server to close the connection. */
    private boolean closedByServerAfterSending(String partial) throws IOException {
        try (Socket socket = new Socket(root.getHost(), root.getPort())) {
            socket.setSoTimeout((int) IDLE_TIMEOUT.multipliedBy(10).toMillis());
            socket.getOutputStream().write(partial.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            try {
                socket.getInputStream().readAllBytes(); // returns at end of stream: the server closed
                return true;
            } catch (SocketTimeoutException e) {
                return false;
            } catch (SocketException e) {
                return true; // reset by the server
            }
        }
    }
}
