package dev.tidings.server.sse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.tidings.server.hub.Hub;
import dev.tidings.server.support.Metrics;
import dev.tidings.server.support.SseTestClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/** Streams that clients leave, politely or not, leave nothing behind: no subscription, no count. */
@QuarkusTest
class ConnectionLeakTest {

    private static final int CLIENTS = 200;
    private static final int PARALLELISM = 20;
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String[] FAMILIES = { "events", "chat", "notifications", "timer" };

    @TestHTTPResource("/")
    URI root;

    @Inject
    Hub hub;

    @Inject
    OpenStreams streams;

    @BeforeEach
    void noStreamsLeftByEarlierTests() {
        await("streams of earlier tests to close").atMost(WAIT).untilAsserted(() -> {
            assertThat(streams.count()).isZero();
            assertThat(hub.subscriberCount()).isZero();
        });
    }

    @Test
    void twoHundredClientsThatDisconnectLeaveNoStreamOrSubscription() throws Exception {
        String run = UUID.randomUUID().toString();
        List<URI> uris = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            uris.add(switch (i % 3) {
                case 0 -> root.resolve("/api/v1/events?topic=leak/" + run + "/" + (i % 7) + "&topic=leak/" + run + "/**");
                case 1 -> root.resolve("/api/v1/chat/leak-" + run + "-" + (i % 5));
                default -> root.resolve("/api/v1/notifications?channel=leak-" + run + "-" + (i % 4));
            });
        }
        int expectedEvents = (int) uris.stream().filter(u -> u.getPath().equals("/api/v1/events")).count();
        int expectedChat = (int) uris.stream().filter(u -> u.getPath().startsWith("/api/v1/chat/")).count();
        int expectedNotifications = CLIENTS - expectedEvents - expectedChat;

        ExecutorService pool = Executors.newFixedThreadPool(PARALLELISM);
        List<SseTestClient> clients = new ArrayList<>();
        try {
            List<Future<SseTestClient>> opened = new ArrayList<>();
            for (URI uri : uris) {
                opened.add(pool.submit(() -> {
                    SseTestClient client = SseTestClient.open(uri);
                    try {
                        if (client.status() != 200) {
                            throw new AssertionError(uri + " answered " + client.status());
                        }
                        if (client.next().retry() == null) {
                            throw new AssertionError(uri + " did not open with retry:");
                        }
                        return client;
                    } catch (RuntimeException | AssertionError e) {
                        client.close();
                        throw e;
                    }
                }));
            }
            List<Throwable> failures = new ArrayList<>();
            for (Future<SseTestClient> future : opened) {
                try {
                    clients.add(future.get(60, TimeUnit.SECONDS));
                } catch (java.util.concurrent.ExecutionException e) {
                    failures.add(e.getCause());
                }
            }
            assertThat(failures).as("streams that failed to open").isEmpty();
            assertThat(clients).hasSize(CLIENTS);

            assertThat(streams.count()).as("open streams while all clients are connected").isEqualTo(CLIENTS);
            // The stream subscribes right after writing its opening frame: allow for that instant.
            await().atMost(WAIT).untilAsserted(() -> assertThat(hub.subscriberCount())
                    .as("subscribers while all clients are connected").isEqualTo(CLIENTS));
            String metrics = Metrics.scrape();
            assertThat(Metrics.value(metrics, "tidings_streams_open", "family=\"events\"")).isEqualTo(expectedEvents);
            assertThat(Metrics.value(metrics, "tidings_streams_open", "family=\"chat\"")).isEqualTo(expectedChat);
            assertThat(Metrics.value(metrics, "tidings_streams_open", "family=\"notifications\""))
                    .isEqualTo(expectedNotifications);

            double slowBefore = Metrics.slowDisconnects();
            double hangUpsBefore = Metrics.value(metrics, "tidings_streams_client_disconnects_total", null);
            List<Future<?>> closed = new ArrayList<>();
            for (SseTestClient client : clients) {
                closed.add(pool.submit(client::close));
            }
            for (Future<?> future : closed) {
                future.get(30, TimeUnit.SECONDS);
            }
            assertNothingLeft();
            // Hang-ups are counted as such, never as slow readers.
            assertThat(Metrics.value("tidings_streams_client_disconnects_total", null))
                    .isGreaterThanOrEqualTo(hangUpsBefore + CLIENTS);
            assertThat(Metrics.slowDisconnects()).isEqualTo(slowBefore);
        } finally {
            clients.forEach(SseTestClient::close);
            pool.shutdownNow();
        }
    }

    @Test
    void clientsThatResetTheirConnectionLeaveNoStreamOrSubscription() throws Exception {
        String run = UUID.randomUUID().toString();
        List<Socket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < 30; i++) {
                String target = switch (i % 4) {
                    case 0 -> "/api/v1/events?topic=reset/" + run;
                    case 1 -> "/api/v1/chat/reset-" + run;
                    case 2 -> "/api/v1/notifications?channel=reset-" + run;
                    default -> "/api/v1/timer?period=PT0.1S";
                };
                Socket socket = new Socket();
                sockets.add(socket);
                socket.connect(new InetSocketAddress(root.getHost(), root.getPort()), 5000);
                socket.setSoTimeout(10_000);
                OutputStream out = socket.getOutputStream();
                out.write(("GET " + target + " HTTP/1.1\r\nHost: " + root.getHost() + ":" + root.getPort()
                        + "\r\nAccept: text/event-stream\r\nConnection: keep-alive\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
                String head = readUntil(socket.getInputStream(), "retry:");
                assertThat(head).as("response to %s", target).startsWith("HTTP/1.1 200");
            }
            assertThat(streams.count()).isEqualTo(sockets.size());
        } finally {
            for (Socket socket : sockets) {
                if (socket.isConnected() && !socket.isClosed()) {
                    socket.setSoLinger(true, 0); // close with a TCP reset, no orderly shutdown
                }
                socket.close();
            }
        }
        assertNothingLeft();
    }

    private void assertNothingLeft() {
        await("every stream closed and unsubscribed").atMost(WAIT).untilAsserted(() -> {
            assertThat(hub.subscriberCount()).as("hub subscribers").isZero();
            assertThat(streams.count()).as("open streams").isZero();
        });
        await("metrics to show no open stream").atMost(WAIT).untilAsserted(() -> {
            String metrics = Metrics.scrape();
            for (String family : FAMILIES) {
                assertThat(Metrics.value(metrics, "tidings_streams_open", "family=\"" + family + "\""))
                        .as("tidings_streams_open{family=%s}", family).isEqualTo(0.0);
            }
        });
    }

    /** Reads byte by byte until {@code marker} has been seen, and returns what was read. */
    private static String readUntil(InputStream in, String marker) throws IOException {
        StringBuilder read = new StringBuilder();
        int b;
        while ((b = in.read()) != -1) {
            read.append((char) b);
            if (read.indexOf(marker) >= 0) {
                return read.toString();
            }
            if (read.length() > 8192) {
                break;
            }
        }
        throw new AssertionError("'" + marker + "' never came; read: " + read);
    }
}
