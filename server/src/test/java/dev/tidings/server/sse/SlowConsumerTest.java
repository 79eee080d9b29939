package dev.tidings.server.sse;

import static dev.tidings.server.support.Publisher.publish;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.tidings.server.config.TidingsConfig;
import dev.tidings.server.hub.Hub;
import dev.tidings.server.support.Metrics;
import dev.tidings.server.support.Problems;
import dev.tidings.server.support.SseTestClient;
import dev.tidings.server.support.SseTestClient.Frame;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A reader that stops reading is disconnected once its bounded queue overflows, and the readers
 * that keep up lose nothing meanwhile.
 */
@QuarkusTest
class SlowConsumerTest {

    /** Upper bound on events published while waiting for the stall to be detected (about 10 MB in all). */
    private static final int MAX_EVENTS = 600;
    private static final int PAYLOAD_CHARS = 16 * 1024;
    private static final int EVENTS_AFTER_DISCONNECT = 5;
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TestHTTPResource("/")
    URI root;

    @Inject
    OpenStreams streams;

    @Inject
    Hub hub;

    @Inject
    TidingsConfig config;

    @Test
    void stalledReaderIsDisconnectedWhileTheOtherReaderGetsEveryEventInOrder() throws Exception {
        await("streams of earlier tests to close").atMost(WAIT).until(() -> streams.count() == 0);
        String topic = "slow/" + UUID.randomUUID();
        String pad = "p".repeat(PAYLOAD_CHARS);
        double disconnectsBefore = Metrics.slowDisconnects();
        assertThat(disconnectsBefore).as("tidings_streams_slow_disconnects_total is exported").isNotNaN();
        double droppedBefore = Metrics.eventsDropped();

        try (Socket stalled = openStalledReader(topic);
                SseTestClient normal = SseTestClient.open(root.resolve("/api/v1/events?topic=" + topic))) {
            assertThat(normal.status()).isEqualTo(200);
            assertThat(normal.next().retry()).isNotNull();
            await().atMost(WAIT).until(() -> streams.count() == 2 && hub.subscriberCount() == 2);

            // The normal reader keeps up: each event is read before the next is published, so only
            // the stalled reader's queue can fill, however busy the machine is.
            List<String> published = new ArrayList<>();
            List<String> received = new ArrayList<>();
            List<Integer> frameSizes = new ArrayList<>();
            int n = 0;
            while (n < MAX_EVENTS && streams.count() == 2) {
                published.add(publish(topic, payload(n, pad)));
                Frame event = receive(normal, n, published.size());
                received.add(event.id());
                frameSizes.add(encodedSize(event));
                n++;
            }
            int publishedWhileStalled = n;
            await("the stalled stream to be closed as too slow after " + publishedWhileStalled + " events of "
                    + PAYLOAD_CHARS + " bytes; it never was (raise MAX_EVENTS if socket buffers here are larger)")
                    .atMost(WAIT)
                    .untilAsserted(() -> {
                        assertThat(streams.count()).as("open streams").isEqualTo(1);
                        assertThat(hub.subscriberCount()).as("subscribers").isEqualTo(1);
                        assertThat(Metrics.slowDisconnects()).as("tidings_streams_slow_disconnects_total")
                                .isEqualTo(disconnectsBefore + 1);
                    });
            assertDroppedTheQueuedFramesAndTheRefusedOne(droppedBefore, frameSizes);

            // The normal reader is still live after the other one was dropped.
            for (int i = 0; i < EVENTS_AFTER_DISCONNECT; i++, n++) {
                published.add(publish(topic, payload(n, pad)));
            }
            for (int i = publishedWhileStalled; i < published.size(); i++) {
                received.add(receive(normal, i, published.size()).id());
            }
            assertThat(received).as("every published event, in order, none missing or repeated")
                    .containsExactlyElementsOf(published);
            assertThat(streams.count()).as("the normal reader's stream is still open").isEqualTo(1);

            assertClosedByServer(stalled);
        }
        await("all streams closed").atMost(WAIT).until(() -> streams.count() == 0);
    }

    private static String payload(int n, String pad) {
        return "{\"n\":" + n + ",\"pad\":\"" + pad + "\"}";
    }

    /**
     * The stalled stream's queue held as many frames as fit in {@code tidings.sse.queue-size}; the
     * frame that did not fit closed it. All of them count as dropped, none more.
     */
    private void assertDroppedTheQueuedFramesAndTheRefusedOne(double droppedBefore, List<Integer> frameSizes) {
        long queueBytes = config.sse().queueSize().asLongValue();
        long fitLargest = queueBytes / frameSizes.stream().mapToInt(Integer::intValue).max().orElseThrow();
        long fitSmallest = queueBytes / frameSizes.stream().mapToInt(Integer::intValue).min().orElseThrow();
        assertThat(fitLargest).as("frames of every size fill the queue at the same count").isEqualTo(fitSmallest)
                .isGreaterThan(1);
        await().atMost(WAIT).untilAsserted(() -> assertThat(Metrics.eventsDropped())
                .as("tidings_events_dropped_total: %d queued frames and the one refused", fitLargest)
                .isEqualTo(droppedBefore + fitLargest + 1));
    }

    /** The bytes of an event's SSE frame, as the server queued it. */
    private static int encodedSize(Frame event) {
        return SseEncoder.event(event.id(), event.event(), event.data()).size();
    }

    /** Reads event {@code n} on the normal reader. */
    private static Frame receive(SseTestClient normal, int n, int publishedSoFar) {
        Frame event;
        try {
            event = normal.nextEvent();
        } catch (AssertionError e) {
            throw new AssertionError("The normal reader got " + n + " of " + publishedSoFar + " events, then: "
                    + e.getMessage(), e);
        }
        JsonNode envelope = Problems.parse("event data", event.data());
        assertThat(envelope.path("data").path("n").intValue()).as("payload of event #%d", n).isEqualTo(n);
        assertThat(envelope.path("data").path("pad").asText()).as("payload of event #%d", n).hasSize(PAYLOAD_CHARS);
        return event;
    }

    /**
     * A subscriber that reads the response headers and then never reads again; its small receive
     * buffer (set before connecting, so the TCP window is small) makes the server's queue fill up.
     */
    private Socket openStalledReader(String topic) throws IOException {
        Socket socket = new Socket();
        socket.setReceiveBufferSize(4096);
        socket.connect(new InetSocketAddress(root.getHost(), root.getPort()), 5000);
        socket.setSoTimeout((int) WAIT.toMillis());
        OutputStream out = socket.getOutputStream();
        out.write(("GET /api/v1/events?topic=" + topic + " HTTP/1.1\r\n"
                + "Host: " + root.getHost() + ":" + root.getPort() + "\r\n"
                + "Accept: text/event-stream\r\n"
                + "Connection: keep-alive\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = socket.getInputStream();
        StringBuilder head = new StringBuilder();
        while (head.indexOf("\r\n\r\n") < 0) {
            int b = in.read();
            if (b == -1) {
                throw new AssertionError("Connection closed before the response headers; got: " + head);
            }
            head.append((char) b);
        }
        assertThat(head.toString()).as("stalled reader's response").startsWith("HTTP/1.1 200")
                .containsIgnoringCase("content-type: text/event-stream");
        return socket;
    }

    /** Drains what the kernel still holds for the socket; the server must have ended the connection. */
    private static void assertClosedByServer(Socket stalled) throws IOException {
        InputStream in = stalled.getInputStream();
        byte[] buffer = new byte[64 * 1024];
        try {
            while (in.read(buffer) != -1) {
                // what was sent before the close
            }
        } catch (SocketTimeoutException e) {
            fail("The server did not close the stalled connection (no end of stream within " + WAIT + ")");
        } catch (IOException reset) {
            // A connection reset also means the server closed it.
        }
    }
}
