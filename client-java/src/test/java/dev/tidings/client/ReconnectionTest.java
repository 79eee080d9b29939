package dev.tidings.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The reconnection rules of the contract's "Java SDK shape", driven through a hand-answered
 * transport and virtual time: backoff growth, cap, jitter and reset, {@code retry:} and
 * {@code Retry-After}, fatal and retryable statuses, resume, de-duplication and the read timeout.
 */
class ReconnectionTest {

    private static final Duration INITIAL = Duration.ofMillis(100);
    private static final Duration MAX = Duration.ofSeconds(1);
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration STABLE = Duration.ofSeconds(30);

    private final ManualScheduler time = new ManualScheduler();
    private final FakeTransport transport = new FakeTransport();
    private final List<ConnectionStateChange> states = new ArrayList<>();
    private final List<TidingsEvent> events = new ArrayList<>();
    private final List<Throwable> failures = new ArrayList<>();
    private long demand = Long.MAX_VALUE;
    private Delivery delivery;

    // --- backoff

    @Test
    void delaysGrowByTheMultiplierAndStopAtTheCap() {
        EventStream stream = stream(noJitter());
        List<Long> delays = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            transport.last().fail(new ConnectException("refused"));
            ConnectionStateChange reconnecting = lastState();
            assertThat(reconnecting.state()).isEqualTo(ConnectionState.RECONNECTING);
            assertThat(reconnecting.attempt()).isEqualTo(i + 1);
            delays.add(reconnecting.delay().toMillis());
            time.advance(reconnecting.delay());
        }
        assertThat(delays).containsExactly(100L, 200L, 400L, 800L, 1000L, 1000L);
        assertThat(transport.count()).isEqualTo(7);
        stream.close();
    }

    @Test
    void noAttemptIsMadeBeforeItsDelayIsOver() {
        stream(noJitter());
        transport.last().fail(new ConnectException("refused"));
        time.advance(INITIAL.minusMillis(1));
        assertThat(transport.count()).isEqualTo(1);
        time.advance(Duration.ofMillis(1));
        assertThat(transport.count()).isEqualTo(2);
        assertThat(lastState().state()).isEqualTo(ConnectionState.CONNECTING);
    }

    @Test
    void jitterTakesARandomShareOffEachDelayWithinItsBounds() {
        Random random = new Random(42);
        double jitter = 0.5;
        stream(new ExponentialBackoff(INITIAL, MAX, 2.0, jitter, random::nextDouble));
        List<Long> delays = new ArrayList<>();
        for (int attempt = 1; attempt <= 40; attempt++) {
            transport.last().fail(new IOException("reset"));
            Duration delay = lastState().delay();
            long step = Math.min(MAX.toMillis(), INITIAL.toMillis() << Math.min(attempt - 1, 20));
            assertThat(delay.toMillis()).as("attempt %d", attempt)
                    .isBetween(Math.round(step * (1 - jitter)), step);
            delays.add(delay.toMillis());
            time.advance(delay);
        }
        // At the cap every step is the same: only the jitter can make the delays differ.
        List<Long> capped = delays.subList(10, 40);
        assertThat(capped.stream().distinct().count()).isGreaterThan(10);
    }

    @Test
    void aStableConnectionResetsTheBackoff() {
        stream(noJitter(), FailurePolicy.standard(), Duration.ZERO, () -> null);
        failTimes(3);
        assertThat(lastState().attempt()).isEqualTo(3);
        time.advance(lastState().delay());

        transport.last().open();
        time.advance(STABLE);
        transport.last().end();

        assertThat(lastState().state()).isEqualTo(ConnectionState.RECONNECTING);
        assertThat(lastState().attempt()).isEqualTo(1);
        assertThat(lastState().delay()).isEqualTo(INITIAL);
    }

    @Test
    void aConnectionLostBeforeItWasStableKeepsTheBackoffGrowing() {
        stream(noJitter(), FailurePolicy.standard(), Duration.ZERO, () -> null);
        failTimes(3);
        time.advance(lastState().delay());

        transport.last().open();
        time.advance(STABLE.minusMillis(1));
        transport.last().end();

        assertThat(lastState().attempt()).isEqualTo(4);
        assertThat(lastState().delay()).isEqualTo(Duration.ofMillis(800));
    }

    @Test
    void aConnectionThatDeliveredAnEventResetsTheBackoffHoweverShort() {
        stream(noJitter(), FailurePolicy.standard(), Duration.ZERO, () -> null);
        for (int cut = 1; cut <= 4; cut++) {
            transport.last().open().send(frame("1700000000000-" + cut));
            time.advance(Duration.ofSeconds(1));
            transport.last().end();
            assertThat(lastState().state()).isEqualTo(ConnectionState.RECONNECTING);
            assertThat(lastState().attempt()).as("cut %d", cut).isEqualTo(1);
            assertThat(lastState().delay()).isEqualTo(INITIAL);
            time.advance(lastState().delay());
        }
        assertThat(ids()).hasSize(4);
    }

    @Test
    void aConnectionWithOnlyHeartbeatsKeepsTheBackoffGrowing() {
        stream(noJitter(), FailurePolicy.standard(), Duration.ZERO, () -> null);
        List<Duration> delays = new ArrayList<>();
        for (int cut = 1; cut <= 3; cut++) {
            transport.last().open().send(": hb\n\n");
            transport.last().end();
            assertThat(lastState().attempt()).isEqualTo(cut);
            delays.add(lastState().delay());
            time.advance(lastState().delay());
        }
        assertThat(delays).containsExactly(INITIAL, INITIAL.multipliedBy(2), INITIAL.multipliedBy(4));
    }

    @Test
    void theServersRetryFieldBecomesTheBaseDelay() {
        stream(noJitter());
        transport.last().open().send("retry: 2500\n\n").end();
        assertThat(lastState().delay()).isEqualTo(Duration.ofMillis(2500));
        time.advance(lastState().delay());
        transport.last().fail(new IOException("reset"));
        // It grows from the server's value, and the cap does not cut it below that value.
        assertThat(lastState().delay()).isEqualTo(Duration.ofMillis(2500));
        assertThat(ExponentialBackoffs.delays(new ExponentialBackoff(INITIAL, Duration.ofSeconds(10), 2, 0, () -> 0),
                Duration.ofMillis(2500), 4)).containsExactly(2500L, 5000L, 10000L, 10000L);
    }

    @Test
    void aRetryFieldWithNonDigitsLeavesTheDelayAlone() {
        stream(noJitter());
        transport.last().open().send("retry: 2s\n\n").end();
        assertThat(lastState().delay()).isEqualTo(INITIAL);
    }

    @Test
    void retryAfterInSecondsIsHonoured() {
        stream(noJitter());
        transport.last().refuse(503, Map.of("Retry-After", List.of("7")), "");
        assertThat(lastState().state()).isEqualTo(ConnectionState.RECONNECTING);
        assertThat(lastState().delay()).isEqualTo(Duration.ofSeconds(7));
        time.advance(Duration.ofSeconds(7).minusMillis(1));
        assertThat(transport.count()).isEqualTo(1);
        time.advance(Duration.ofMillis(1));
        assertThat(transport.count()).isEqualTo(2);

        transport.last().refuse(429, Map.of("retry-after", List.of("2")), "");
        assertThat(lastState().delay()).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void waitsTheServerSetWithRetryAfterDoNotGrowTheBackoff() {
        stream(noJitter());
        for (int refusal = 1; refusal <= 4; refusal++) {
            transport.last().refuse(503, Map.of("Retry-After", List.of("1")), "");
            assertThat(lastState().delay()).isEqualTo(Duration.ofSeconds(1));
            time.advance(Duration.ofSeconds(1));
        }
        transport.last().fail(new ConnectException("Connection refused"));
        assertThat(lastState().attempt()).as("the failure streak still counts every try").isEqualTo(5);
        assertThat(lastState().delay()).as("the first wait of the backoff's own").isEqualTo(INITIAL);
    }

    @Test
    void retryAfterAsAnHttpDateIsHonoured() {
        stream(noJitter());
        String inAMinute = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC).plusSeconds(60));
        transport.last().refuse(503, Map.of("Retry-After", List.of(inAMinute)), "");
        assertThat(lastState().delay()).isBetween(Duration.ofSeconds(55), Duration.ofSeconds(60));
    }

    // --- statuses

    @ParameterizedTest
    @ValueSource(ints = {204, 400, 401, 403, 404, 410, 415})
    void fatalStatusesStopWithAClearException(int status) {
        EventStream stream = stream(noJitter());
        transport.last().refuse(status, Map.of("Content-Type", List.of("application/problem+json")),
                "{\"type\":\"about:blank\",\"title\":\"Nope\",\"status\":" + status + ",\"detail\":\"Not for you\"}");

        assertThat(lastState().state()).isEqualTo(ConnectionState.CLOSED);
        assertThat(failures).hasSize(1);
        assertThat(failures.get(0)).isInstanceOf(TidingsStatusException.class)
                .hasMessageContaining(String.valueOf(status)).hasMessageContaining("not retrying");
        TidingsStatusException failure = (TidingsStatusException) failures.get(0);
        assertThat(failure.status()).isEqualTo(status);
        assertThat(failure.problemDetail()).hasValue("Not for you");
        assertThat(stream.done().toCompletableFuture()).isCompletedExceptionally();
        time.advance(Duration.ofMinutes(10));
        assertThat(transport.count()).as("no reconnection").isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(ints = {408, 429, 500, 502, 503, 504})
    void retryableStatusesReconnect(int status) {
        stream(noJitter());
        transport.last().refuse(status);
        assertThat(lastState().state()).isEqualTo(ConnectionState.RECONNECTING);
        assertThat(lastState().cause()).get().isInstanceOf(TidingsStatusException.class);
        assertThat(failures).isEmpty();
        time.advance(lastState().delay());
        assertThat(transport.count()).isEqualTo(2);
    }

    @Test
    void networkErrorsAndACleanEndReconnect() {
        stream(noJitter());
        transport.last().fail(new ConnectException("refused"));
        time.advance(lastState().delay());
        transport.last().open().end();
        time.advance(lastState().delay());
        assertThat(transport.count()).isEqualTo(3);
        assertThat(failures).isEmpty();
    }

    @Test
    void aFailurePolicyCanMakeAnyStatusFatal() {
        stream(noJitter(), status -> false, READ_TIMEOUT, () -> null);
        transport.last().refuse(503);
        assertThat(lastState().state()).isEqualTo(ConnectionState.CLOSED);
        assertThat(((TidingsStatusException) failures.get(0)).status()).isEqualTo(503);
    }

    @Test
    void a200ThatIsNotAnEventStreamIsFatal() {
        stream(noJitter());
        transport.last().listener.onOpen(new dev.tidings.client.internal.Transport.ResponseHead(200,
                Map.of("Content-Type", List.of("text/html"))));
        assertThat(lastState().state()).isEqualTo(ConnectionState.CLOSED);
        assertThat(failures.get(0)).hasMessageContaining("text/event-stream");
        assertThat(transport.last().cancelled).isTrue();
    }

    // --- states, resume, de-duplication

    @Test
    void statesGoConnectingOpenReconnectingClosed() {
        EventStream stream = stream(noJitter());
        transport.last().open();
        transport.last().fail(new IOException("reset"));
        time.advance(lastState().delay());
        stream.close();
        assertThat(states.stream().map(ConnectionStateChange::state).collect(Collectors.toList())).containsExactly(
                ConnectionState.CONNECTING, ConnectionState.OPEN, ConnectionState.RECONNECTING,
                ConnectionState.CONNECTING, ConnectionState.CLOSED);
        assertThat(states.get(2).cause()).get().isInstanceOf(IOException.class);
        assertThat(states.get(4).cause()).isEmpty();
    }

    @Test
    void aReconnectionSendsTheLastEventId() {
        stream(noJitter());
        assertThat(transport.last().headers).doesNotContainKey("Last-Event-ID")
                .containsEntry("Accept", "text/event-stream");
        transport.last().open().send(frame("1700000000000-0") + frame("1700000000000-1")).end();
        time.advance(lastState().delay());
        assertThat(transport.last().headers).containsEntry("Last-Event-ID", "1700000000000-1");
    }

    @Test
    void aConnectionLostBeforeItsFirstEventStillResumesFromTheLastId() {
        stream(noJitter());
        transport.last().open().send("retry: 100\n\n" + frame("1700000000000-0")).end();
        time.advance(lastState().delay());
        transport.last().open().send("retry: 100\n\n: hb\n\n").fail(new IOException("cut"));
        time.advance(lastState().delay());
        assertThat(transport.last().headers).containsEntry("Last-Event-ID", "1700000000000-0");
    }

    @Test
    void anEventCutMidFrameIsNotCountedAsSeen() {
        stream(noJitter());
        String second = frame("1700000000000-1");
        transport.last().open().send(frame("1700000000000-0") + second.substring(0, 20)).fail(new IOException("cut"));
        time.advance(lastState().delay());
        assertThat(transport.last().headers).containsEntry("Last-Event-ID", "1700000000000-0");
        assertThat(ids()).containsExactly("1700000000000-0");
    }

    @Test
    void eventsNotAfterTheLastDeliveredOneAreDropped() {
        EventStream stream = stream(noJitter());
        transport.last().open().send(frame("1700000000000-0") + frame("1700000000000-1")).end();
        time.advance(lastState().delay());
        // A replay that overlaps what was delivered, and an older id out of order.
        transport.last().open().send(frame("1700000000000-0") + frame("1700000000000-1") + frame("1700000000000-2")
                + frame("1699999999999-9") + frame("1700000000001-0"));
        assertThat(ids()).containsExactly("1700000000000-0", "1700000000000-1", "1700000000000-2", "1700000000001-0");
        assertThat(stream.duplicatesDropped()).isEqualTo(3);
    }

    @Test
    void timerIdsCompareAsNumbers() {
        EventStream stream = stream(noJitter());
        transport.last().open().send(tick(9) + tick(10) + tick(10) + tick(11)).end();
        time.advance(lastState().delay());
        assertThat(transport.last().headers).containsEntry("Last-Event-ID", "11");
        transport.last().open().send(tick(11) + tick(12));
        assertThat(ids()).containsExactly("9", "10", "11", "12");
        assertThat(stream.duplicatesDropped()).isEqualTo(2);
        assertThat(events.get(0).data(Tick.class).seq()).isEqualTo(9);
    }

    @Test
    void aResetIsDeliveredAsAGapAndStartsANewHistory() {
        stream(noJitter());
        transport.last().open().send(frame("1800000000000-5")).end();
        time.advance(lastState().delay());
        transport.last().open()
                .send("event: reset\ndata: {\"reason\":\"history-gap\",\"lastEventId\":\"1800000000000-5\"}\n\n")
                .send(frame("1700000000000-0"));

        assertThat(events).hasSize(3);
        TidingsEvent gap = events.get(1);
        assertThat(gap.isGap()).isTrue();
        assertThat(gap.id()).isNull();
        assertThat(gap.data(HistoryGap.class).lastEventId()).isEqualTo("1800000000000-5");
        // After a gap the ids belong to another history: a smaller one is not a duplicate.
        assertThat(events.get(2).id()).isEqualTo("1700000000000-0");
    }

    @Test
    void theTokenSupplierIsCalledOnEveryConnect() {
        AtomicInteger calls = new AtomicInteger();
        stream(noJitter(), FailurePolicy.standard(), READ_TIMEOUT, () -> "token-" + calls.incrementAndGet());
        transport.last().fail(new IOException("reset"));
        time.advance(lastState().delay());
        transport.last().refuse(503);
        time.advance(lastState().delay());
        assertThat(transport.connections).extracting(c -> c.headers.get("Authorization"))
                .containsExactly("Bearer token-1", "Bearer token-2", "Bearer token-3");
    }

    // --- read timeout

    @Test
    void aSilentConnectionIsDeclaredDeadAfterTheReadTimeout() {
        stream(noJitter());
        FakeTransport.FakeConnection first = transport.last().open();
        time.advance(READ_TIMEOUT.minusMillis(1));
        assertThat(lastState().state()).isEqualTo(ConnectionState.OPEN);
        time.advance(Duration.ofMillis(1));
        assertThat(first.cancelled).isTrue();
        assertThat(lastState().state()).isEqualTo(ConnectionState.RECONNECTING);
        assertThat(lastState().cause()).get().isInstanceOf(ReadTimeoutException.class);
        time.advance(lastState().delay());
        assertThat(transport.count()).isEqualTo(2);
    }

    @Test
    void heartbeatsKeepAConnectionAlive() {
        stream(noJitter());
        FakeTransport.FakeConnection connection = transport.last().open();
        for (int i = 0; i < 10; i++) {
            time.advance(READ_TIMEOUT.multipliedBy(8).dividedBy(10));
            connection.send(": hb\n\n");
        }
        assertThat(connection.cancelled).isFalse();
        assertThat(lastState().state()).isEqualTo(ConnectionState.OPEN);
    }

    @Test
    void aServerThatNeverAnswersIsAlsoTimedOut() {
        stream(noJitter());
        time.advance(READ_TIMEOUT);
        assertThat(transport.last().cancelled).isTrue();
        assertThat(lastState().cause()).get().isInstanceOf(ReadTimeoutException.class);
    }

    // --- flow control

    @Test
    void readingPausesWhileTheConsumerIsBehindAndThatIsNoReadTimeout() {
        demand = 0;
        stream(noJitter());
        FakeTransport.FakeConnection connection = transport.last().open();
        int requestedBefore = connection.requested;
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            many.append(frame("1700000000000-" + i));
        }
        connection.send(many.toString());
        assertThat(connection.requested).as("no more reads while 16 events wait").isEqualTo(requestedBefore);

        time.advance(READ_TIMEOUT.multipliedBy(3));
        assertThat(connection.cancelled).isFalse();

        delivery.request(12);
        assertThat(events).hasSize(12);
        assertThat(connection.requested).isEqualTo(requestedBefore + 1);
    }

    @Test
    void closeCancelsTheConnectionAndAnyPendingReconnection() {
        EventStream stream = stream(noJitter());
        transport.last().fail(new IOException("reset"));
        stream.close();
        time.advance(Duration.ofMinutes(5));
        assertThat(transport.count()).isEqualTo(1);
        assertThat(time.pending()).isZero();
        assertThat(stream.state()).isEqualTo(ConnectionState.CLOSED);
        assertThat(stream.done().toCompletableFuture()).isCompleted();

        EventStream open = stream(noJitter());
        FakeTransport.FakeConnection connection = transport.last().open();
        open.close();
        assertThat(connection.cancelled).isTrue();
        assertThat(time.pending()).isZero();
    }

    // --- helpers

    private static BackoffPolicy noJitter() {
        return new ExponentialBackoff(INITIAL, MAX, 2.0, 0.5, () -> 0.0);
    }

    private EventStream stream(BackoffPolicy backoff) {
        return stream(backoff, FailurePolicy.standard(), READ_TIMEOUT, () -> null);
    }

    private EventStream stream(BackoffPolicy backoff, FailurePolicy policy, Duration readTimeout,
            Supplier<String> token) {
        StreamSettings settings = new StreamSettings(backoff, policy, readTimeout, STABLE, token, Map.of());
        delivery = new Delivery(Runnable::run, new Delivery.Target() {
            @Override
            public void onEvent(TidingsEvent event) {
                events.add(event);
            }

            @Override
            public void onStateChange(ConnectionStateChange change) {
                states.add(change);
            }

            @Override
            public void onComplete() {
            }

            @Override
            public void onError(Throwable failure) {
                failures.add(failure);
            }
        }, 16);
        if (demand > 0) {
            delivery.request(demand);
        }
        String path = "/api/v1/events?topic=t";
        EventStream stream = new EventStream(path, URI.create("http://tidings.test" + path), settings, transport, time,
                delivery, () -> { });
        stream.start();
        return stream;
    }

    private void failTimes(int times) {
        for (int i = 0; i < times; i++) {
            if (i > 0) {
                time.advance(lastState().delay());
            }
            transport.last().fail(new ConnectException("refused"));
        }
    }

    private ConnectionStateChange lastState() {
        return states.get(states.size() - 1);
    }

    private List<String> ids() {
        return events.stream().map(TidingsEvent::id).collect(Collectors.toList());
    }

    static String frame(String id) {
        return "id: " + id + "\nevent: message\ndata: {\"id\":\"" + id
                + "\",\"topic\":\"t\",\"type\":\"message\",\"time\":\"2026-01-01T00:00:00Z\",\"data\":{\"n\":1}}\n\n";
    }

    private static String tick(long seq) {
        return "id: " + seq + "\nevent: tick\ndata: {\"seq\":" + seq + ",\"time\":\"2026-01-01T00:00:00Z\"}\n\n";
    }

    /** Delays of a policy for consecutive attempts, in milliseconds. */
    static final class ExponentialBackoffs {
        static List<Long> delays(BackoffPolicy policy, Duration serverRetry, int attempts) {
            List<Long> delays = new ArrayList<>();
            for (int attempt = 1; attempt <= attempts; attempt++) {
                delays.add(policy.delay(attempt, serverRetry).toMillis());
            }
            return delays;
        }
    }
}
