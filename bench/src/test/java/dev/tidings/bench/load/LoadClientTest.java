package dev.tidings.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerResponse;

/**
 * The load generator against a small SSE hub in this JVM, over real loopback connections from
 * several source addresses: every count it reports is checked against what the hub did.
 */
class LoadClientTest {

    /** A minimal hub: GET /sub/t streams, POST /pub/t broadcasts, like the Node.js peer. */
    private static final class Hub {
        final List<HttpServerResponse> streams = new CopyOnWriteArrayList<>();
        final Set<String> sourceAddresses = ConcurrentHashMap.newKeySet();
        final List<String> lastEventIds = new CopyOnWriteArrayList<>();
        final java.util.concurrent.atomic.AtomicLong nextId = new java.util.concurrent.atomic.AtomicLong();
        volatile boolean sendTwice;
        HttpServer server;

        void start(io.vertx.core.Vertx vertx) throws Exception {
            server = vertx.createHttpServer().requestHandler(request -> {
                sourceAddresses.add(request.remoteAddress().host());
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
            server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }

        /** Ends every stream cleanly, as a server does when it shuts down. */
        void endAll() {
            List<HttpServerResponse> ended = new ArrayList<>(streams);
            streams.removeAll(ended);
            ended.forEach(HttpServerResponse::end);
        }

        Endpoint endpoint() {
            int port = server.actualPort();
            return new Endpoint() {
                @Override
                public String host() {
                    return "127.0.0.1";
                }

                @Override
                public int port() {
                    return port;
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

    private SubscriberGroup subscribers(int n, TopicLedger topic, DeliveryStats stats) {
        List<TopicLedger> topics = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            topics.add(topic);
        }
        return load.subscribers(hub.endpoint(), stats, topics);
    }

    @Test
    void deliversEveryAcknowledgedEventToEverySubscriberFromSeveralAddresses() throws Exception {
        TopicLedger topic = new TopicLedger("t");
        DeliveryStats stats = new DeliveryStats();
        SubscriberGroup group = subscribers(30, topic, stats);
        Publisher publisher = load.publisher(hub.endpoint(), 4);

        assertThat(group.open(1000, 8, Duration.ofSeconds(20))).isEqualTo(30);
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
        assertThat(accounting.expected()).isEqualTo(30 * published);
        assertThat(accounting.received()).isEqualTo(30 * published);
        assertThat(accounting.lost()).isZero();
        assertThat(accounting.duplicates()).isZero();
        assertThat(stats.deliveredInWindow()).isEqualTo(30 * published);
        assertThat(stats.latencyInWindow().getTotalCount()).isEqualTo(30 * published);
        assertThat(hub.sourceAddresses).contains("127.0.0.2", "127.0.0.3", "127.0.0.4");
        group.close(Duration.ofSeconds(10));
        publisher.close();
        assertThat(group.openCount()).isZero();
        assertThat(group.dropped()).isZero();
    }

    @Test
    void countsDuplicatesAndLossesPerSubscription() throws Exception {
        TopicLedger topic = new TopicLedger("t");
        SubscriberGroup group = subscribers(5, topic, new DeliveryStats());
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

    @Test
    void reconnectsWithTheLastEventIdWhenTheServerEndsTheStream() throws Exception {
        TopicLedger topic = new TopicLedger("t");
        SubscriberGroup group = subscribers(4, topic, new DeliveryStats());
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
}
