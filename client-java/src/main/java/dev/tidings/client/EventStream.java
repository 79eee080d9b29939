package dev.tidings.client;

import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import dev.tidings.client.internal.EventIds;
import dev.tidings.client.internal.Scheduler;
import dev.tidings.client.internal.SseParser;
import dev.tidings.client.internal.Transport;

/**
 * One subscription's connection, kept alive: connects, parses, de-duplicates, detects a dead
 * connection by its read timeout, and reconnects with backoff from the last event id until it
 * is closed or meets a fatal status. Every transition happens under the stream's lock; the
 * consumer is called on the delivery executor, never under it.
 */
final class EventStream implements Subscription {

    private final String description;
    private final URI uri;
    private final StreamSettings settings;
    /** Released once closed, so a kept subscription does not keep the HTTP client reachable. */
    private Transport transport;
    private final Scheduler scheduler;
    private final Delivery delivery;
    private final Runnable onClosed;
    private final SseParser parser;
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private final CompletableFuture<Void> opened = new CompletableFuture<>();

    private ConnectionState state;
    private int attempt;
    /** Waits of this failure streak that followed the backoff; a wait the server set with Retry-After does not grow it. */
    private int backoffStep;
    private long openedAt;
    /** Whether the open connection delivered an event: it made progress, so its loss is no failure streak. */
    private boolean delivered;
    private Duration serverRetry;
    private String lastDeliveredId;
    private long duplicatesDropped;
    private int generation;
    private Transport.Connection connection;
    private Scheduler.Cancellable reconnect;
    private Scheduler.Cancellable watchdog;
    private long lastActivity;
    private volatile boolean paused;

    EventStream(String description, URI uri, StreamSettings settings, Transport transport, Scheduler scheduler,
            Delivery delivery, Runnable onClosed) {
        this.description = description;
        this.uri = uri;
        this.settings = settings;
        this.transport = transport;
        this.scheduler = scheduler;
        this.delivery = delivery;
        this.onClosed = onClosed;
        this.parser = new SseParser(new FrameHandler());
        delivery.onRoom(this::resume);
    }

    synchronized void start() {
        if (state == null) {
            connect();
        }
    }

    /** Ends a stream that never started, such as one opened on a closed client. */
    void refuse(Throwable cause) {
        synchronized (this) {
            if (state == ConnectionState.CLOSED) {
                return;
            }
            stop();
            transport = null;
            changeState(ConnectionState.CLOSED, attempt, Duration.ZERO, cause);
            delivery.fail(cause);
        }
        opened.completeExceptionally(cause);
        done.completeExceptionally(cause);
        onClosed.run();
    }

    @Override
    public synchronized ConnectionState state() {
        return state == null ? ConnectionState.CONNECTING : state;
    }

    @Override
    public synchronized Optional<String> lastEventId() {
        String id = parser.lastEventId();
        return id.isEmpty() ? Optional.empty() : Optional.of(id);
    }

    @Override
    public CompletionStage<Void> opened() {
        return opened.copy();
    }

    @Override
    public CompletionStage<Void> done() {
        return done.copy();
    }

    /** Events dropped because their id was not after the last one delivered. */
    synchronized long duplicatesDropped() {
        return duplicatesDropped;
    }

    @Override
    public void close() {
        synchronized (this) {
            if (state == ConnectionState.CLOSED) {
                return;
            }
            stop();
            transport = null;
            changeState(ConnectionState.CLOSED, attempt, Duration.ZERO, null);
            delivery.complete();
        }
        opened.completeExceptionally(new TidingsException("Closed before a connection was open"));
        done.complete(null);
        onClosed.run();
    }

    /** The consumer cancelled: close without delivering anything more. */
    void cancel() {
        delivery.cancel();
        close();
    }

    private void connect() {
        int current = ++generation;
        changeState(ConnectionState.CONNECTING, attempt, Duration.ZERO, null);
        Map<String, String> headers;
        try {
            headers = requestHeaders();
        } catch (RuntimeException e) {
            failed(new TidingsException("The token supplier failed", e), null, settings.failurePolicy().isRetryable(e));
            return;
        }
        lastActivity = scheduler.nanoTime();
        armWatchdog(current, settings.readTimeout());
        try {
            connection = transport.connect(uri, headers, new ConnectionListener(current));
        } catch (RuntimeException e) {
            // A request that cannot even be built (a header the HTTP client refuses) will not get better.
            failed(new TidingsException("Cannot open " + description + ": " + e.getMessage(), e), null, false);
        }
    }

    private Map<String, String> requestHeaders() {
        Map<String, String> headers = new LinkedHashMap<>(settings.headers());
        headers.put("Accept", "text/event-stream");
        headers.put("Cache-Control", "no-cache");
        String token = settings.tokenSupplier().get();
        if (token != null && !token.isEmpty()) {
            headers.put("Authorization", "Bearer " + token);
        }
        String lastEventId = parser.lastEventId();
        if (!lastEventId.isEmpty()) {
            headers.put("Last-Event-ID", lastEventId);
        }
        return headers;
    }

    /** Checks for activity every read timeout; bytes of any kind, heartbeats included, count. */
    private void armWatchdog(int current, Duration after) {
        if (settings.readTimeout().isZero()) {
            return;
        }
        watchdog = scheduler.schedule(() -> checkActivity(current), after);
    }

    private synchronized void checkActivity(int current) {
        if (current != generation || state == ConnectionState.CLOSED) {
            return;
        }
        long now = scheduler.nanoTime();
        if (paused) {
            // Not reading on purpose: the consumer is behind. Silence is ours, not the server's.
            lastActivity = now;
        }
        long idle = now - lastActivity;
        long timeout = settings.readTimeout().toNanos();
        if (idle >= timeout) {
            connection.cancel();
            failed(new ReadTimeoutException(settings.readTimeout()), null, true);
        } else {
            armWatchdog(current, Duration.ofNanos(timeout - idle));
        }
    }

    private void resume() {
        if (!paused) {
            return;
        }
        synchronized (this) {
            if (paused && delivery.hasRoom()) {
                paused = false;
                if (connection != null && state == ConnectionState.OPEN) {
                    connection.request();
                }
            }
        }
    }

    /** The connection is lost or refused: reconnect after a delay, or stop when it is fatal. */
    private void failed(Throwable cause, Duration retryAfter, boolean retryable) {
        boolean wasOpen = state == ConnectionState.OPEN;
        stop();
        parser.endOfStream();
        if (!retryable) {
            transport = null;
            changeState(ConnectionState.CLOSED, attempt, Duration.ZERO, cause);
            delivery.fail(cause);
            opened.completeExceptionally(cause);
            done.completeExceptionally(cause);
            onClosed.run();
            return;
        }
        if (wasOpen && (delivered || scheduler.nanoTime() - openedAt >= settings.resetBackoffAfter().toNanos())) {
            attempt = 0;
            backoffStep = 0;
        }
        attempt++;
        Duration delay = retryAfter != null ? retryAfter : settings.backoff().delay(++backoffStep, serverRetry);
        changeState(ConnectionState.RECONNECTING, attempt, delay, cause);
        int current = generation;
        reconnect = scheduler.schedule(() -> reconnectNow(current), delay);
    }

    private synchronized void reconnectNow(int scheduledIn) {
        if (scheduledIn == generation && state == ConnectionState.RECONNECTING) {
            connect();
        }
    }

    /** Invalidates the current connection and every timer. */
    private void stop() {
        generation++;
        paused = false;
        if (connection != null) {
            connection.cancel();
            connection = null;
        }
        if (watchdog != null) {
            watchdog.cancel();
            watchdog = null;
        }
        if (reconnect != null) {
            reconnect.cancel();
            reconnect = null;
        }
    }

    private void changeState(ConnectionState next, int attemptNumber, Duration delay, Throwable cause) {
        state = next;
        ConnectionStateChange change = new ConnectionStateChange(description, next, attemptNumber, delay, cause);
        delivery.stateChange(change);
    }

    private void opened(Transport.ResponseHead head) {
        String contentType = head.header("Content-Type").orElse("");
        if (!contentType.toLowerCase(Locale.ROOT).startsWith("text/event-stream")) {
            failed(new TidingsStatusException("Expected text/event-stream but the server answered 200 with '"
                    + contentType + "'", head.status(), ""), null, false);
            return;
        }
        openedAt = scheduler.nanoTime();
        lastActivity = openedAt;
        delivered = false;
        changeState(ConnectionState.OPEN, attempt, Duration.ZERO, null);
        opened.complete(null);
    }

    private void received(ByteBuffer chunk) {
        lastActivity = scheduler.nanoTime();
        parser.feed(chunk);
        if (state != ConnectionState.OPEN || connection == null) {
            return; // the handler may have stopped it
        }
        if (delivery.hasRoom()) {
            connection.request();
            return;
        }
        paused = true;
        // The consumer may have caught up between the check and the flag: look again.
        if (delivery.hasRoom()) {
            paused = false;
            connection.request();
        }
    }

    private void rejected(Transport.ResponseHead head, String body) {
        int status = head.status();
        boolean retryable = settings.failurePolicy().isRetryable(status);
        TidingsStatusException cause = new TidingsStatusException(describe(status, body, retryable), status, body);
        failed(cause, retryable ? retryAfter(head).orElse(null) : null, retryable);
    }

    private String describe(int status, String body, boolean retryable) {
        StringBuilder text = new StringBuilder("The server answered ").append(status).append(" to ").append(description);
        Json.problemDetail(body).ifPresent(detail -> text.append(": ").append(detail));
        if (status == 204) {
            text.append(" (204 No Content: the server asks this client not to reconnect)");
        }
        text.append(retryable ? "; retrying" : "; not retrying");
        return text.toString();
    }

    /** {@code Retry-After} as delay-seconds or an HTTP date. */
    static Optional<Duration> retryAfter(Transport.ResponseHead head) {
        Optional<String> value = head.header("Retry-After").map(String::trim);
        if (value.isEmpty()) {
            return Optional.empty();
        }
        String text = value.get();
        try {
            long seconds = Long.parseLong(text);
            return seconds < 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(seconds));
        } catch (NumberFormatException e) {
            // an HTTP date, below
        }
        try {
            ZonedDateTime at = ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME);
            Duration until = Duration.between(ZonedDateTime.now(at.getZone()), at);
            return Optional.of(until.isNegative() ? Duration.ZERO : until);
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** Reports from one connection; stale ones (an older generation) are ignored. */
    private final class ConnectionListener implements Transport.Listener {

        private final int current;

        ConnectionListener(int current) {
            this.current = current;
        }

        private boolean live() {
            return current == generation && state != ConnectionState.CLOSED;
        }

        @Override
        public void onOpen(Transport.ResponseHead head) {
            synchronized (EventStream.this) {
                if (live()) {
                    opened(head);
                }
            }
        }

        @Override
        public void onBytes(ByteBuffer chunk) {
            synchronized (EventStream.this) {
                if (live()) {
                    received(chunk);
                }
            }
        }

        @Override
        public void onEnd() {
            synchronized (EventStream.this) {
                if (live()) {
                    failed(new TidingsException("The server ended the stream"), null, true);
                }
            }
        }

        @Override
        public void onRejected(Transport.ResponseHead head, String body) {
            synchronized (EventStream.this) {
                if (live()) {
                    rejected(head, body);
                }
            }
        }

        @Override
        public void onError(Throwable error) {
            synchronized (EventStream.this) {
                if (live()) {
                    failed(error, null, settings.failurePolicy().isRetryable(error));
                }
            }
        }
    }

    /** What the parser dispatches; runs under the stream's lock. */
    private final class FrameHandler implements SseParser.Handler {

        @Override
        public void onEvent(String type, String data, String lastEventId) {
            TidingsEvent event = TidingsEvent.fromFrame(type, data, lastEventId);
            if (event.isGap()) {
                // A new history: ids from here on need not follow the ones seen before.
                lastDeliveredId = null;
            } else if (event.id() != null) {
                if (!EventIds.isAfter(event.id(), lastDeliveredId)) {
                    duplicatesDropped++;
                    return;
                }
                lastDeliveredId = event.id();
            }
            delivered = true;
            delivery.event(event);
        }

        @Override
        public void onRetry(long millis) {
            serverRetry = Duration.ofMillis(millis);
        }
    }
}
