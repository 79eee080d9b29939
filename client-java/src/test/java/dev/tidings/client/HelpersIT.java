package dev.tidings.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.tidings.client.support.ServerProcess;

/** Subscribe, publish and the typed helpers against the real server. */
class HelpersIT {

    private static ServerProcess server;
    private static TidingsClient client;

    @BeforeAll
    static void start() throws IOException {
        server = ServerProcess.start("helpers");
        client = TidingsClient.builder(server.uri()).build();
    }

    @AfterAll
    static void stop() {
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void publishedEventsReachAPatternSubscriptionWithTheirEnvelope() throws Exception {
        List<TidingsEvent> events = new CopyOnWriteArrayList<>();
        try (Subscription subscription = client.subscribe(events::add, "helpers/orders/*")) {
            subscription.opened().toCompletableFuture().get(20, TimeUnit.SECONDS);
            String id = client.publish("helpers/orders/42", "created", Map.of("total", 12)).toCompletableFuture()
                    .get(10, TimeUnit.SECONDS);
            String raw = client.publishJson("helpers/orders/43", null, "[1,\"two\",null]").toCompletableFuture()
                    .get(10, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(10)).until(() -> events.size() == 2);

            TidingsEvent created = events.get(0);
            assertThat(created.id()).isEqualTo(id).matches("\\d+-\\d+");
            assertThat(created.topic()).isEqualTo("helpers/orders/42");
            assertThat(created.type()).isEqualTo("created");
            assertThat(created.time()).isNotNull();
            assertThat(created.data()).isEqualTo("{\"total\":12}");
            assertThat(created.data(Map.class)).containsEntry("total", 12);
            assertThat(created.isGap()).isFalse();
            assertThat(events.get(1).id()).isEqualTo(raw);
            assertThat(events.get(1).type()).isEqualTo("message");
            assertThat(events.get(1).data()).isEqualTo("[1,\"two\",null]");
            assertThat(subscription.lastEventId()).hasValue(raw);
        }
    }

    @Test
    void chatSendsMessagesAndStreamsMessagesAndPresence() throws Exception {
        ChatRoom room = client.chat("helpers-room");
        List<TidingsEvent> events = new CopyOnWriteArrayList<>();
        try (Subscription subscription = room.events(events::add)) {
            subscription.opened().toCompletableFuture().get(20, TimeUnit.SECONDS);
            String id = room.send("ann", "hello").toCompletableFuture().get(10, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(10)).until(() -> events.stream().anyMatch(e -> id.equals(e.id())));

            assertThat(events).filteredOn(e -> e.type().equals(Presence.TYPE)).first()
                    .satisfies(presence -> {
                        assertThat(presence.data(Presence.class).room()).isEqualTo("helpers-room");
                        assertThat(presence.data(Presence.class).members()).isEqualTo(1);
                    });
            TidingsEvent message = events.stream().filter(e -> id.equals(e.id())).findFirst().orElseThrow();
            assertThat(message.type()).isEqualTo("message");
            assertThat(message.topic()).isEqualTo("chat/helpers-room");
            ChatMessage chat = message.data(ChatMessage.class);
            assertThat(chat.author()).isEqualTo("ann");
            assertThat(chat.text()).isEqualTo("hello");
        }
    }

    @Test
    void notificationsAreSentAndReceivedTyped() throws Exception {
        List<TidingsEvent> events = new CopyOnWriteArrayList<>();
        try (Subscription subscription = client.notifications(events::add, "helpers-ops")) {
            subscription.opened().toCompletableFuture().get(20, TimeUnit.SECONDS);
            client.sendNotification(Notification.of("helpers-other", Notification.Level.INFO, "Not for us"))
                    .toCompletableFuture().get(10, TimeUnit.SECONDS);
            String id = client.sendNotification(Notification.of("helpers-ops", Notification.Level.WARNING,
                    "Disk 91% full").withBody("on node-3").withLink("/ops/disks")).toCompletableFuture()
                    .get(10, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(10)).until(() -> !events.isEmpty());

            assertThat(events).hasSize(1);
            TidingsEvent event = events.get(0);
            assertThat(event.id()).isEqualTo(id);
            assertThat(event.type()).isEqualTo("notification");
            assertThat(event.topic()).isEqualTo("notifications/helpers-ops");
            Notification notification = event.data(Notification.class);
            assertThat(notification.level()).isEqualTo(Notification.Level.WARNING);
            assertThat(notification.title()).isEqualTo("Disk 91% full");
            assertThat(notification.body()).isEqualTo("on node-3");
            assertThat(notification.link()).isEqualTo("/ops/disks");
        }
    }

    @Test
    void theTimerTicksInOrderWithTypedData() {
        List<TidingsEvent> ticks = client.timer(Duration.ofMillis(100)).select().first(3).collect().asList()
                .await().atMost(Duration.ofSeconds(20));
        assertThat(ticks).extracting(TidingsEvent::id).containsExactly("1", "2", "3");
        assertThat(ticks).allSatisfy(tick -> {
            assertThat(tick.type()).isEqualTo(Tick.TYPE);
            assertThat(tick.topic()).isNull();
            assertThat(tick.time()).isNotNull();
        });
        assertThat(ticks.get(2).data(Tick.class).seq()).isEqualTo(3);
    }

    @Test
    void anInvalidTopicEndsTheSubscriptionWithA400() {
        assertThatThrownBy(() -> client.subscribe("no spaces allowed").collect().asList()
                .await().atMost(Duration.ofSeconds(20)))
                .isInstanceOfSatisfying(TidingsStatusException.class, failure -> {
                    assertThat(failure.status()).isEqualTo(400);
                    assertThat(failure.problemDetail()).isPresent();
                });
    }

    @Test
    void aReservedTypeIsRefusedWithA400() {
        assertThatThrownBy(() -> client.publish("helpers/t", "reset", 1).toCompletableFuture().get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOfSatisfying(TidingsStatusException.class,
                        failure -> assertThat(failure.status()).isEqualTo(400));
    }

    @Test
    void anUnknownLastEventIdGivesTheGapSignalInTheMulti() {
        // A resume from an id this server never issued: the first item is the reset, marked as a gap.
        try (TidingsClient resuming = TidingsClient.builder(server.uri()).header("Last-Event-ID", "1-0").build()) {
            TidingsEvent first = resuming.subscribe("helpers/gap").toUni().await().atMost(Duration.ofSeconds(20));
            assertThat(first.isGap()).isTrue();
            assertThat(first.type()).isEqualTo(TidingsEvent.RESET);
            assertThat(first.data(HistoryGap.class).lastEventId()).isEqualTo("1-0");
        }
    }
}
