package dev.tidings.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import dev.tidings.client.support.ServerProcess;

/**
 * The README's SDK example, run as it is written against the real server in a plain JVM (no
 * Quarkus on this test's class path). {@link ReadmeSnippetTest} checks that the README shows
 * exactly the code between the markers.
 */
class ReadmeExampleIT {

    @Test
    void theReadmeExampleRuns() throws Exception {
        PrintStream stdout = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try (ServerProcess tidings = ServerProcess.start("readme")) {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            example(tidings.uri());
        } finally {
            System.setOut(stdout);
        }
        String output = captured.toString(StandardCharsets.UTF_8);
        stdout.print(output);
        assertThat(output).containsPattern("published \\d+-\\d+")
                .contains("orders/42 created {\"total\":12}")
                .contains("ticks [1, 2, 3]")
                .contains("state: OPEN /api/v1/events?topic=orders%2F**");
        assertThatNoClientClassComesFromQuarkus();
    }

    private static void example(URI server) throws Exception {
        // README:start
        try (TidingsClient client = TidingsClient.builder(server)
                .tokenSupplier(() -> System.getenv("TIDINGS_TOKEN")) // asked on every connect; null sends none
                .onStateChange(change -> System.out.println("state: " + change))
                .build()) {

            // Listener variant: events, history gaps and connection states arrive as callbacks.
            BlockingQueue<TidingsEvent> inbox = new LinkedBlockingQueue<>();
            Subscription orders = client.subscribe(new TidingsListener() {
                @Override
                public void onEvent(TidingsEvent event) {
                    inbox.add(event);
                }

                @Override
                public void onGap(TidingsEvent reset) {
                    System.out.println("may have missed events after " + reset.data(HistoryGap.class).lastEventId());
                }
            }, "orders/**");
            orders.opened().toCompletableFuture().get(10, TimeUnit.SECONDS);

            // Publish: completes with the event id.
            String id = client.publish("orders/42", "created", Map.of("total", 12)).toCompletableFuture().get();
            System.out.println("published " + id);
            TidingsEvent order = inbox.poll(10, TimeUnit.SECONDS);
            System.out.println(order.topic() + " " + order.type() + " " + order.data());

            // Multi variant: cancelling it (here after three ticks) closes its connection.
            List<Long> ticks = client.timer(Duration.ofMillis(100))
                    .map(tick -> tick.data(Tick.class).seq())
                    .select().first(3)
                    .collect().asList()
                    .await().atMost(Duration.ofSeconds(10));
            System.out.println("ticks " + ticks);

            // Chat rooms and notifications.
            client.chat("lobby").send("ann", "hello").toCompletableFuture().get();
            client.sendNotification(Notification.of("ops", Notification.Level.WARNING, "Disk 91% full"))
                    .toCompletableFuture().get();
        }
        // README:end
    }

    private static void assertThatNoClientClassComesFromQuarkus() {
        ClassLoader loader = ReadmeExampleIT.class.getClassLoader();
        assertThat(loader.getResource("io/quarkus/runtime/Application.class")).isNull();
        assertThat(loader.getResource("io/vertx/core/Vertx.class")).isNull();
    }
}
