package dev.tidings.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * The whole client over real HTTP against a scripted loopback server: how each status ends or
 * retries a subscription, what a request carries, and how publish answers are read.
 */
class HttpStatusTest {

    private HttpServer server;
    private final List<Headers> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger streamRequests = new AtomicInteger();
    private volatile Responder responder;
    private TidingsClient client;

    interface Responder {
        void respond(HttpExchange exchange, int request) throws IOException;
    }

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            requests.add(exchange.getRequestHeaders());
            try {
                responder.respond(exchange, streamRequests.incrementAndGet());
            } finally {
                exchange.close();
            }
        });
        server.start();
        client = TidingsClient.builder(URI.create("http://127.0.0.1:" + server.getAddress().getPort()))
                .initialDelay(Duration.ofMillis(20))
                .maxDelay(Duration.ofMillis(100))
                .tokenSupplier(() -> "t" + (requests.size() + 1))
                .header("X-App", "tests")
                .build();
    }

    @AfterEach
    void stop() {
        client.close();
        server.stop(0);
    }

    @ParameterizedTest
    @ValueSource(ints = {204, 401, 403, 404})
    void fatalStatusesEndTheMultiWithTheirStatus(int status) {
        responder = (exchange, n) -> problem(exchange, status, "Refused " + n);
        assertThatThrownBy(() -> client.subscribe("orders").collect().asList().await().atMost(Duration.ofSeconds(10)))
                .isInstanceOfSatisfying(TidingsStatusException.class, failure -> {
                    assertThat(failure.status()).isEqualTo(status);
                    assertThat(failure).hasMessageContaining(String.valueOf(status));
                });
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> streamRequests.get() == 1);
    }

    @ParameterizedTest
    @ValueSource(ints = {429, 500, 503})
    void retryableStatusesAreTriedAgainUntilTheStreamOpens(int status) {
        responder = (exchange, n) -> {
            if (n < 3) {
                exchange.getResponseHeaders().add("Retry-After", "0");
                problem(exchange, status, "Busy");
            } else {
                stream(exchange, "retry: 10\n\nid: 1-0\nevent: message\ndata: " + envelope("1-0", "orders") + "\n\n");
            }
        };
        List<TidingsEvent> events = client.subscribe("orders").select().first(1).collect().asList()
                .await().atMost(Duration.ofSeconds(10));
        assertThat(events).extracting(TidingsEvent::id).containsExactly("1-0");
        assertThat(streamRequests.get()).isEqualTo(3);
    }

    @Test
    void aRetryableStatusIsReportedAsReconnectingWithTheRetryAfterDelay() {
        List<ConnectionStateChange> states = new CopyOnWriteArrayList<>();
        responder = (exchange, n) -> {
            exchange.getResponseHeaders().add("Retry-After", "1");
            problem(exchange, 503, "Shutting down");
        };
        try (Subscription subscription = client.subscribe(new TidingsListener() {
            @Override
            public void onEvent(TidingsEvent event) {
            }

            @Override
            public void onStateChange(ConnectionStateChange change) {
                states.add(change);
            }
        }, "orders")) {
            await().atMost(Duration.ofSeconds(10)).until(() -> states.stream()
                    .anyMatch(change -> change.state() == ConnectionState.RECONNECTING));
            ConnectionStateChange reconnecting = states.stream()
                    .filter(change -> change.state() == ConnectionState.RECONNECTING).findFirst().orElseThrow();
            assertThat(reconnecting.delay()).isEqualTo(Duration.ofSeconds(1));
            assertThat(reconnecting.cause()).get().isInstanceOfSatisfying(TidingsStatusException.class,
                    failure -> assertThat(failure.problemDetail()).hasValue("Shutting down"));
        }
    }

    @Test
    void everyConnectCarriesAFreshTokenTheHeadersAndTheLastEventId() {
        responder = (exchange, n) -> stream(exchange,
                "retry: 10\n\nid: 5-" + n + "\nevent: message\ndata: " + envelope("5-" + n, "orders") + "\n\n");
        List<TidingsEvent> events = client.subscribe("orders", "chat/**").select().first(2).collect().asList()
                .await().atMost(Duration.ofSeconds(10));
        assertThat(events).extracting(TidingsEvent::id).containsExactly("5-1", "5-2");
        Headers first = requests.get(0);
        Headers second = requests.get(1);
        assertThat(first.getFirst("Authorization")).isEqualTo("Bearer t1");
        assertThat(second.getFirst("Authorization")).isEqualTo("Bearer t2");
        assertThat(first.getFirst("X-App")).isEqualTo("tests");
        assertThat(first.getFirst("Accept")).isEqualTo("text/event-stream");
        assertThat(first.containsKey("Last-Event-ID")).isFalse();
        assertThat(second.getFirst("Last-Event-ID")).isEqualTo("5-1");
    }

    @Test
    void aServerThatAnswers200WithAnotherContentTypeIsFatal() {
        responder = (exchange, n) -> {
            byte[] body = "<html></html>".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/html");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
        };
        assertThatThrownBy(() -> client.subscribe("orders").collect().asList().await().atMost(Duration.ofSeconds(10)))
                .isInstanceOf(TidingsStatusException.class).hasMessageContaining("text/event-stream");
    }

    @Test
    void publishCompletesWithTheIdAndSendsTheEnvelope() throws Exception {
        List<String> bodies = new CopyOnWriteArrayList<>();
        responder = (exchange, n) -> {
            bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            assertThat(exchange.getRequestURI().getRawPath()).isEqualTo("/api/v1/topics/orders/eu/events");
            json(exchange, 201, "{\"id\":\"7-3\",\"topic\":\"orders/eu\",\"time\":\"2026-01-01T00:00:00Z\"}");
        };
        String id = client.publish("orders/eu", "created", Map.of("total", 12)).toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        assertThat(id).isEqualTo("7-3");
        assertThat(bodies).containsExactly("{\"type\":\"created\",\"data\":{\"total\":12}}");
        assertThat(requests.get(0).getFirst("Content-Type")).isEqualTo("application/json");
        assertThat(requests.get(0).getFirst("Authorization")).isEqualTo("Bearer t1");
    }

    @Test
    void aRefusedPublishFailsWithTheProblemDetail() {
        responder = (exchange, n) -> problem(exchange, 400, "Event type 'tick' is reserved");
        assertThatThrownBy(() -> client.publish("orders", "tick", 1).toCompletableFuture().get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOfSatisfying(TidingsStatusException.class, failure -> {
                    assertThat(failure.status()).isEqualTo(400);
                    assertThat(failure.problemDetail()).hasValue("Event type 'tick' is reserved");
                });
    }

    // --- helpers

    private static String envelope(String id, String topic) {
        return "{\"id\":\"" + id + "\",\"topic\":\"" + topic
                + "\",\"type\":\"message\",\"time\":\"2026-01-01T00:00:00Z\",\"data\":{\"n\":1}}";
    }

    private static void stream(HttpExchange exchange, String body) throws IOException {
        exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        out.write(body.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    private static void problem(HttpExchange exchange, int status, String detail) throws IOException {
        String body = "{\"type\":\"about:blank\",\"title\":\"Problem\",\"status\":" + status + ",\"detail\":\"" + detail
                + "\"}";
        exchange.getResponseHeaders().add("Content-Type", "application/problem+json");
        if (status == 204) {
            exchange.sendResponseHeaders(204, -1);
            return;
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private static void json(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }
}
