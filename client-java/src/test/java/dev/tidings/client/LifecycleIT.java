package dev.tidings.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.tidings.client.support.ServerProcess;
import dev.tidings.client.support.TcpProxy;
import io.smallrye.mutiny.subscription.Cancellable;

/**
 * Closing the client, closing a subscription and cancelling a {@code Multi} leave no connection
 * open, and closing the client leaves none of its threads alive. Connections are counted at a
 * proxy in front of the server, which sees each one end.
 */
class LifecycleIT {

    private static final String SELECTOR = "SelectorManager";
    private static ServerProcess server;

    @BeforeAll
    static void startServer() throws IOException {
        server = ServerProcess.start("lifecycle", "-Dtidings.sse.heartbeat=300ms");
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void closeLeavesNoThreadAndNoConnection() throws Exception {
        try (TcpProxy proxy = TcpProxy.start(server.port(), Duration.ofMinutes(2))) {
            Set<String> selectorsBefore = threadNames(SELECTOR);
            TidingsClient client = TidingsClient.builder(proxy.uri()).build();
            String prefix = client.threadPrefix() + "-";
            Set<String> selectors = threadNames(SELECTOR);
            selectors.removeAll(selectorsBefore);

            List<TidingsEvent> received = new CopyOnWriteArrayList<>();
            client.subscribe("lifecycle/close").subscribe().with(received::add);
            Subscription listener = client.subscribe(received::add, "lifecycle/close");
            await().atMost(Duration.ofSeconds(20)).until(() -> listener.state() == ConnectionState.OPEN);
            // A publish through the proxy too, whose connection the HTTP client keeps alive in its pool.
            client.publish("lifecycle/close", null, Map.of("n", 1)).toCompletableFuture().get(10, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 2);
            assertThat(proxy.openConnections()).isEqualTo(3);
            assertThat(threadNames(prefix)).isNotEmpty();

            client.close();
            client = null;

            await("no connection left").atMost(Duration.ofSeconds(20)).until(() -> {
                System.gc(); // before JDK 21 the HTTP client's pool closes when the client is collected
                return proxy.openConnections() == 0;
            });
            await("no thread left").atMost(Duration.ofSeconds(20)).until(() -> {
                System.gc();
                Set<String> alive = threadNames(prefix);
                Set<String> selectorsAlive = threadNames(SELECTOR);
                selectorsAlive.retainAll(selectors);
                return alive.isEmpty() && selectorsAlive.isEmpty();
            });
            assertThat(listener.state()).isEqualTo(ConnectionState.CLOSED);
        }
    }

    @Test
    void closingASubscriptionClosesItsConnectionAndNothingReconnects() throws Exception {
        try (TcpProxy proxy = TcpProxy.start(server.port(), Duration.ofMinutes(2));
                TidingsClient client = TidingsClient.builder(proxy.uri()).initialDelay(Duration.ofMillis(50)).build()) {
            Subscription subscription = client.subscribe(event -> { }, "lifecycle/listener");
            subscription.opened().toCompletableFuture().get(20, TimeUnit.SECONDS);
            assertThat(proxy.openConnections()).isEqualTo(1);

            subscription.close();

            await().atMost(Duration.ofSeconds(10)).until(() -> proxy.openConnections() == 0);
            await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> proxy.accepted() == 1);
            assertThat(subscription.state()).isEqualTo(ConnectionState.CLOSED);
            assertThat(subscription.done().toCompletableFuture()).isCompleted();
        }
    }

    @Test
    void cancellingAMultiClosesItsConnection() throws Exception {
        try (TcpProxy proxy = TcpProxy.start(server.port(), Duration.ofMinutes(2));
                TidingsClient client = TidingsClient.builder(proxy.uri()).build()) {
            List<TidingsEvent> received = new CopyOnWriteArrayList<>();
            Cancellable cancellable = client.timer(Duration.ofMillis(100)).subscribe().with(received::add);
            await().atMost(Duration.ofSeconds(20)).until(() -> received.size() >= 2);
            assertThat(proxy.openConnections()).isEqualTo(1);

            cancellable.cancel();

            await().atMost(Duration.ofSeconds(10)).until(() -> proxy.openConnections() == 0);
            int afterCancel = received.size();
            await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2))
                    .until(() -> received.size() == afterCancel && proxy.accepted() == 1);
        }
    }

    @Test
    void takingTheFirstItemsOfAMultiClosesItsConnection() throws Exception {
        try (TcpProxy proxy = TcpProxy.start(server.port(), Duration.ofMinutes(2));
                TidingsClient client = TidingsClient.builder(proxy.uri()).build()) {
            List<Long> ticks = client.timer(Duration.ofMillis(100))
                    .map(event -> event.data(Tick.class).seq())
                    .select().first(3)
                    .collect().asList()
                    .await().atMost(Duration.ofSeconds(20));
            assertThat(ticks).containsExactly(1L, 2L, 3L);
            await().atMost(Duration.ofSeconds(10)).until(() -> proxy.openConnections() == 0);
        }
    }

    @Test
    void aClientClosedFromItsOwnCallbackShutsDown() throws Exception {
        try (TcpProxy proxy = TcpProxy.start(server.port(), Duration.ofMinutes(2))) {
            TidingsClient client = TidingsClient.builder(proxy.uri()).build();
            String prefix = client.threadPrefix() + "-";
            Subscription subscription = client.timer(event -> client.close(), Duration.ofMillis(100));
            await().atMost(Duration.ofSeconds(20)).until(client::isClosed);
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                System.gc();
                return proxy.openConnections() == 0 && threadNames(prefix).isEmpty();
            });
            assertThat(subscription.state()).isEqualTo(ConnectionState.CLOSED);
        }
    }

    private static Set<String> threadNames(String part) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .filter(name -> name.contains(part))
                .collect(Collectors.toSet());
    }
}
