package dev.tidings.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;

/**
 * The load generator against a small SSE hub in this JVM, over real loopback connections from
 * several source addresses, for every transport (HTTP/1.1, h2c, HTTP/1.1 with gzip): every count
 * it reports is checked against what the hub did.
 */
class LoadClientTest {

    /** A minimal hub: GET /sub/t streams, POST /pub/t broadcasts, like the Node.js peer. */
    private static final class Hub {
        final List<HttpServerResponse> streams = new CopyOnWriteArrayList<>();
        final Set<String> sourceAddresses = ConcurrentHashMap.newKeySet();
        final Set<HttpVersion> versions = ConcurrentHashMap.newKeySet();
        final List<String> lastEventIds = new CopyOnWriteArrayList<>();
        /** Streams opened and publishes taken, by the port they came to. */
        final Map<Integer, java.util.concurrent.atomic.AtomicInteger> streamsByPort = new ConcurrentHashMap<>();
        final Map<Integer, java.util.concurrent.atomic.AtomicInteger> publishesByPort = new ConcurrentHashMap<>();
        final java.util.concurrent.atomic.AtomicLong nextId = new java.util.concurrent.atomic.AtomicLong();
        volatile boolean sendTwice;
        HttpServer server;
        /** A second replica: the same streams behind another port. */
        HttpServer replica;

        void start(io.vertx.core.Vertx vertx) throws Exception {
            // h2c with prior knowledge on the same port, and gzip for clients that ask for it
            HttpServerOptions options = new HttpServerOptions().setCompressionSupported(true);
            server = listen(vertx, options);
            replica = listen(vertx, options);
        }

        private HttpServer listen(io.vertx.core.Vertx vertx, HttpServerOptions options) throws Exception {
            HttpServer listener = vertx.createHttpServer(options).requestHandler(request -> {
                int port = request.localAddress().port();
                (request.path().startsWith("/sub/") ? streamsByPort : publishesByPort)
                        .computeIfAbsent(port, p -> new java.util.concurrent.atomic.AtomicInteger()).incrementAndGet();
                sourceAddresses.add(request.remoteAddress().host());
                versions.add(request.version());
                if (request.path().startsWith("/sub/")) {
                    String lastEventId = request.getHeader("Last-Event-ID");
                    if (lastEventId != null) {
                        lastEventIds.add(lastEventId);
                    }
                    HttpServerResponse response = request.response().setChunked(true)
                            .putHeader("Content-Type", "text/event-stream");
                    response.write("retry: 1000\n\n");
                    streams.add(response);
                    response.closeHandler(ignored -> streams.remove(response));
                } else {
                    request.body().onSuccess(body -> {
                        Buffer frame = Buffer.buffer("id: " + nextId.getAndIncrement() + "\ndata: " + body + "\n\n");
                        for (HttpServerResponse stream : streams) {
                            stream.write(frame);
                            if (sendTwice) {
                                stream.write(frame);
                            }
                        }
                        request.response().setStatusCode(201).end();
                    });
                }
            });
            return listener.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }

        /** Ends every stream cleanly, as a server does when it shuts down. */
        void endAll() {
            List<HttpServerResponse> ended = new ArrayList<>(streams);
            streams.removeAll(ended);
            ended.forEach(HttpServerResponse::end);
        }

        Endpoint endpoint() {
            return on(List.of(server.actualPort()));
        }

        /** Both listeners as the replicas of one endpoint. */
        Endpoint replicated() {
            return on(List.of(server.actualPort(), replica.actualPort()));
        }

        private static Endpoint on(List<Integer> ports) {
            return new Endpoint() {
                @Override
                public String host() {
                    return "127.0.0.1";
                }

                @Override
                public int port() {
                    return ports.get(0);
                }

                @Override
                public List<Integer> ports() {
                    return ports;
                }
            };
        }
    }

    private LoadClient load;
    private final Hub hub = new Hub();

    @BeforeEach
    void start() throws Exception {
        load = new LoadClient(2, 3);
        hub.start(load.vertx());
    }

    @AfterEach
    void stop() {
        load.close();
    }

    private static void await(BooleanSupplier condition) {
        Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(10))
                .until(condition::getAsBoolean);
    }

    private static final int STREAMS_PER_CONNECTION = 10;

    private SubscriberGroup subscribers(int n, TopicLedger topic, DeliveryStats stats, Transport transport) {
        List<TopicLedger> topics = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            topics.add(topic);
        }
        return switch (transport) {
            case HTTP1 -> load.subscribers(hub.endpoint(), stats, topics);
            case GZIP -> load.gzipSubscribers(hub.endpoint(), stats, topics);
            case H2C -> load.h2cSubscribers(hub.endpoint(), stats, topics, STREAMS_PER_CONNECTION);
        };
    }

    /** What the subscriptions should say carried them. */
    private static String protocol(Transport transport) {
        return switch (transport) {
            case HTTP1 -> "HTTP/1.1 identity";
            case GZIP -> "HTTP/1.1 gzip";
            case H2C -> "HTTP/2 identity";
        };
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void deliversEveryAcknowledgedEventToEverySubscriberFromSeveralAddresses(Transport transport) throws Exception {
        TopicLedger topic = new TopicLedger("t");
        DeliveryStats stats = new DeliveryStats();
        SubscriberGroup group = subscribers(40, topic, stats, transport);
        Publisher publisher = load.publisher(hub.endpoint(), 4);

        assertThat(group.open(1000, 8, Duration.ofSeconds(20))).isEqualTo(40);
        stats.startWindow();
        publisher.startRate(500, () -> topic, 16);
        await(() -> topic.acknowledgedCount() >= 40);
        publisher.stop();
        assertThat(publisher.awaitIdle(10_000)).isZero();
        await(() -> group.account().lost() == 0);

        long published = topic.acknowledgedCount();
        SubscriberGroup.Accounting accounting = group.account();
        Publisher.Window window = publisher.takeWindow();
        assertThat(window.accepted()).isEqualTo(published);
        assertThat(window.failed()).isZero();
        assertThat(accounting.expected()).isEqualTo(40 * published);
        assertThat(accounting.received()).isEqualTo(40 * published);
        assertThat(accounting.lost()).isZero();
        assertThat(accounting.duplicates()).isZero();
        assertThat(stats.deliveredInWindow()).isEqualTo(40 * published);
        assertThat(stats.latencyInWindow().getTotalCount()).isEqualTo(40 * published);
        assertThat(stats.readingLoops()).as("streams read on both event loops").isEqualTo(2);
        assertThat(group.openedAs()).containsExactly(Map.entry(protocol(transport), 40L));
        if (transport == Transport.H2C) {
            // two clients (one per event loop), each with its 20 streams on two connections
            assertThat(group.connections()).isEqualTo(40 / STREAMS_PER_CONNECTION);
            assertThat(hub.versions).containsOnly(HttpVersion.HTTP_2, HttpVersion.HTTP_1_1); // publishes are HTTP/1.1
            assertThat(hub.sourceAddresses).contains("127.0.0.2", "127.0.0.3");
        } else {
            assertThat(group.connections()).isZero();
            assertThat(hub.versions).containsOnly(HttpVersion.HTTP_1_1);
            assertThat(hub.sourceAddresses).contains("127.0.0.2", "127.0.0.3", "127.0.0.4");
        }
        group.close(Duration.ofSeconds(10));
        publisher.close();
        assertThat(group.openCount()).isZero();
        assertThat(group.dropped()).isZero();
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void countsDuplicatesAndLossesPerSubscription(Transport transport) throws Exception {
        TopicLedger topic = new TopicLedger("t");
        SubscriberGroup group = subscribers(5, topic, new DeliveryStats(), transport);
        Publisher publisher = load.publisher(hub.endpoint(), 2);
        assertThat(group.open(1000, 8, Duration.ofSeconds(20))).isEqualTo(5);

        hub.sendTwice = true;
        publisher.startRate(200, () -> topic, 4);
        await(() -> topic.acknowledgedCount() >= 3);
        publisher.stop();
        publisher.awaitIdle(10_000);
        long twice = topic.acknowledgedCount();
        await(() -> group.account().duplicates() == 5 * twice);
        hub.sendTwice = false;
        // An event the hub acknowledges while nobody listens is lost for every subscription.
        group.reconnects(false);
        hub.endAll();
        await(() -> group.openCount() == 0);
        publisher.startRate(200, () -> topic, 4);
        await(() -> topic.acknowledgedCount() >= twice + 2);
        publisher.stop();
        publisher.awaitIdle(10_000);

        SubscriberGroup.Accounting accounting = group.account();
        assertThat(topic.acknowledgedCount()).isGreaterThan(twice);
        assertThat(accounting.duplicates()).isEqualTo(5 * twice);
        assertThat(accounting.lost()).isEqualTo(5 * (topic.acknowledgedCount() - twice));
        assertThat(group.dropped()).isEqualTo(5);
        publisher.close();
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void reconnectsWithTheLastEventIdWhenTheServerEndsTheStream(Transport transport) throws Exception {
        TopicLedger topic = new TopicLedger("t");
        SubscriberGroup group = subscribers(4, topic, new DeliveryStats(), transport);
        Publisher publisher = load.publisher(hub.endpoint(), 2);
        assertThat(group.open(1000, 8, Duration.ofSeconds(20))).isEqualTo(4);
        publisher.startRate(200, () -> topic, 4);
        await(() -> topic.acknowledgedCount() >= 3);
        publisher.stop();
        publisher.awaitIdle(10_000);
        await(() -> group.account().lost() == 0);
        String lastId = Long.toString(hub.nextId.get() - 1);

        hub.endAll();
        await(() -> group.opened() == 8 && group.openCount() == 4);

        assertThat(group.opened()).isEqualTo(8);
        assertThat(group.openCount()).isEqualTo(4);
        assertThat(group.dropped()).isEqualTo(4);
        assertThat(hub.lastEventIds).hasSize(4).allMatch(lastId::equals);
        group.close(Duration.ofSeconds(10));
        publisher.close();
    }

    @org.junit.jupiter.api.Test
    void spreadsSubscriptionsOverReplicasAndPublishesInTurn() throws Exception {
        TopicLedger topic = new TopicLedger("t");
        List<TopicLedger> topics = new ArrayList<>();
        for (int i = 0; i < 36; i++) {
            topics.add(topic);
        }
        SubscriberGroup group = load.subscribers(hub.replicated(), new DeliveryStats(), topics);
        Publisher publisher = load.publisher(hub.replicated(), 2);
        assertThat(group.open(1000, 8, Duration.ofSeconds(20))).isEqualTo(36);
        publisher.startRate(200, () -> topic, 1);
        await(() -> topic.acknowledgedCount() >= 10);
        publisher.stop();
        assertThat(publisher.awaitIdle(10_000)).isZero();
        await(() -> group.account().lost() == 0);

        int first = hub.server.actualPort();
        int second = hub.replica.actualPort();
        assertThat(hub.streamsByPort.get(first).get()).isEqualTo(18);
        assertThat(hub.streamsByPort.get(second).get()).isEqualTo(18);
        int published = (int) topic.acknowledgedCount();
        // one in flight at a time, so the turns alternate exactly
        assertThat(hub.publishesByPort.get(first).get()).isEqualTo(published / 2);
        assertThat(hub.publishesByPort.get(second).get()).isEqualTo(published - published / 2);
        assertThat(group.account().received()).isEqualTo(36L * published);
        group.close(Duration.ofSeconds(10));
        publisher.close();
    }
}
