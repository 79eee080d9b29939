package dev.tidings.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.tidings.client.support.ServerProcess;
import dev.tidings.client.support.TcpProxy;

/**
 * The SDK against the real server through a proxy that breaks connections: cuts (also in the
 * middle of a frame), a black hole that only the read timeout can detect, and a server restart
 * that loses the history.
 */
class ResilienceIT {

    private static final Duration READ_TIMEOUT = Duration.ofMillis(1500);
    private static ServerProcess server;

    @BeforeAll
    static void startServer() throws IOException {
        // Short heartbeats for the read timeout to watch, a short retry for quick reconnections.
        server = ServerProcess.start("resilience", "-Dtidings.sse.heartbeat=300ms", "-Dtidings.sse.retry=100ms");
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aThousandEventsArriveExactlyOnceAndInOrderWhileTheProxyCutsEveryHundred() throws Exception {
        String topic = "resilience/thousand";
        int total = 1000;
        List<String> received = new CopyOnWriteArrayList<>();
        AtomicInteger opens = new AtomicInteger();
        try (TcpProxy proxy = TcpProxy.start(server.port(), Duration.ofMinutes(5));
                TidingsClient subscriber = fastClient(proxy).build();
                TidingsClient publisher = TidingsClient.builder(server.uri()).build()) {
            Subscription subscription = subscriber.subscribe(new TidingsListener() {
                @Override
                public void onEvent(TidingsEvent event) {
                    received.add(event.id());
                    int count = received.size();
                    if (count % 100 == 0) {
                        int round = count / 100;
                        if (round % 2 == 1) {
                            proxy.cutAll();
                        } else {
                            proxy.cutAfter(37L * round + 11); // inside one of the next frames
                        }
                    }
                }

                @Override
                public void onStateChange(ConnectionStateChange change) {
                    if (change.state() == ConnectionState.OPEN) {
                        opens.incrementAndGet();
                    }
                }
            }, topic);
            await().atMost(Duration.ofSeconds(20)).until(() -> subscription.state() == ConnectionState.OPEN);

            // In batches of a hundred, each published once the previous one arrived: every cut then
            // falls on a live connection while the next batch is being published.
            List<String> published = new ArrayList<>();
            for (int batch = 0; batch < total / 100; batch++) {
                for (int i = 0; i < 100; i++) {
                    published.add(publisher.publish(topic, "message", Map.of("n", published.size()))
                            .toCompletableFuture().get(10, TimeUnit.SECONDS));
                }
                int expected = published.size();
                await().atMost(Duration.ofSeconds(30)).until(() -> received.size() >= expected);
            }

            // All arrive, and nothing more turns up for a while after.
            await().atMost(Duration.ofSeconds(60)).until(() -> received.size() >= total);
            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).until(() -> received.size() == total);

            List<String> lost = new ArrayList<>(published);
            lost.removeAll(new HashSet<>(received));
            int duplicates = received.size() - new HashSet<>(received).size();
            String report = String.format("published=%d received=%d lost=%d duplicates=%d reconnections=%d "
                    + "connections=%d duplicatesDroppedByClient=%d%n", published.size(), received.size(), lost.size(),
                    duplicates, opens.get() - 1, proxy.accepted(), ((EventStream) subscription).duplicatesDropped());
            System.out.print("Proxy test: " + report);
            Files.writeString(Path.of("target", "proxy-test-counts.txt"), report, StandardCharsets.UTF_8);

            assertThat(lost).as("lost").isEmpty();
            assertThat(duplicates).as("duplicates").isZero();
            assertThat(received).as("in publish order").containsExactlyElementsOf(published);
            assertThat(opens.get() - 1).as("reconnections, one per cut").isGreaterThanOrEqualTo(9);
        }
    }

    @Test
    void aBlackHoledConnectionIsDetectedByTheReadTimeoutAndResumed() throws Exception {
        String topic = "resilience/black-hole";
        List<String> received = new CopyOnWriteArrayList<>();
        List<ConnectionStateChange> states = new CopyOnWriteArrayList<>();
        try (TcpProxy proxy = TcpProxy.start(server.port(), Duration.ofMinutes(2));
                TidingsClient subscriber = fastClient(proxy).build();
                TidingsClient publisher = TidingsClient.builder(server.uri()).build()) {
            Subscription subscription = subscriber.subscribe(listener(received, states), topic);
            await().atMost(Duration.ofSeconds(20)).until(() -> subscription.state() == ConnectionState.OPEN);
            String first = publish(publisher, topic, 1);
            await().atMost(Duration.ofSeconds(10)).until(() -> received.contains(first));

            proxy.blackHole();
            String second = publish(publisher, topic, 2);
            String third = publish(publisher, topic, 3);

            await().atMost(Duration.ofSeconds(30)).until(() -> received.contains(third));
            assertThat(received).containsExactly(first, second, third);
            assertThat(states).anySatisfy(change -> {
                assertThat(change.state()).isEqualTo(ConnectionState.RECONNECTING);
                assertThat(change.cause()).get().isInstanceOf(ReadTimeoutException.class);
            });
            assertThat(proxy.accepted()).isEqualTo(2);
        }
    }

    @Test
    void aServerRestartGivesTheResetSignalThenLiveEvents() throws Exception {
        String topic = "resilience/restart";
        List<TidingsEvent> received = new CopyOnWriteArrayList<>();
        try (ServerProcess first = ServerProcess.start("restart-first", "-Dtidings.sse.retry=100ms");
                TcpProxy proxy = TcpProxy.start(first.port(), Duration.ofMinutes(3));
                TidingsClient subscriber = fastClient(proxy).build()) {
            Subscription subscription = subscriber.subscribe(new TidingsListener() {
                @Override
                public void onEvent(TidingsEvent event) {
                    received.add(event);
                }

                @Override
                public void onGap(TidingsEvent reset) {
                    received.add(reset);
                }
            }, topic);
            await().atMost(Duration.ofSeconds(20)).until(() -> subscription.state() == ConnectionState.OPEN);
            String before;
            try (TidingsClient publisher = TidingsClient.builder(first.uri()).build()) {
                before = publish(publisher, topic, 1);
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 1);

            first.stop();
            try (ServerProcess second = ServerProcess.start("restart-second", "-Dtidings.sse.retry=100ms");
                    TidingsClient publisher = TidingsClient.builder(second.uri()).build()) {
                proxy.retarget(second.port());
                await().atMost(Duration.ofSeconds(30)).until(() -> received.size() == 2);
                TidingsEvent gap = received.get(1);
                assertThat(gap.isGap()).isTrue();
                assertThat(gap.data(HistoryGap.class).lastEventId()).isEqualTo(before);
                assertThat(gap.data(HistoryGap.class).reason()).isEqualTo("history-gap");

                await().atMost(Duration.ofSeconds(10)).until(() -> subscription.state() == ConnectionState.OPEN);
                String after = publish(publisher, topic, 2);
                await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 3);
                assertThat(received.get(2).id()).isEqualTo(after);
                assertThat(received.get(2).data()).isEqualTo("{\"n\":2}");
                assertThat(received.get(0).id()).isEqualTo(before);
            }
        }
    }

    @Test
    void aTimerResumesAtTheNextTickAcrossCuts() throws Exception {
        List<Long> ticks = Collections.synchronizedList(new ArrayList<>());
        try (TcpProxy proxy = TcpProxy.start(server.port(), Duration.ofMinutes(2));
                TidingsClient client = fastClient(proxy).build()) {
            client.timer(Duration.ofMillis(100)).subscribe().with(event -> {
                ticks.add(event.data(Tick.class).seq());
                if (ticks.size() % 5 == 0) {
                    proxy.cutAfter(20); // mid-frame
                }
            });
            await().atMost(Duration.ofSeconds(30)).until(() -> ticks.size() >= 30);
            List<Long> seen = new ArrayList<>(ticks).subList(0, 30);
            List<Long> expected = new ArrayList<>();
            for (long seq = 1; seq <= 30; seq++) {
                expected.add(seq);
            }
            assertThat(seen).isEqualTo(expected);
            assertThat(proxy.accepted()).isGreaterThanOrEqualTo(5);
        }
    }

    private static TidingsClient.Builder fastClient(TcpProxy proxy) {
        return TidingsClient.builder(proxy.uri())
                .initialDelay(Duration.ofMillis(50))
                .maxDelay(Duration.ofMillis(500))
                .readTimeout(READ_TIMEOUT);
    }

    private static String publish(TidingsClient publisher, String topic, int n) throws Exception {
        return publisher.publish(topic, "message", Map.of("n", n)).toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static TidingsListener listener(List<String> ids, List<ConnectionStateChange> states) {
        return new TidingsListener() {
            @Override
            public void onEvent(TidingsEvent event) {
                ids.add(event.id());
            }

            @Override
            public void onStateChange(ConnectionStateChange change) {
                states.add(change);
            }
        };
    }
}
