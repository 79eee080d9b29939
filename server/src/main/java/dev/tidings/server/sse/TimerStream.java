package dev.tidings.server.sse;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import io.netty.channel.EventLoop;
import io.vertx.core.http.HttpServerRequest;

/** Per-connection ticks: {@code id} is the sequence number, so a reconnect continues at n+1. */
final class TimerStream extends SseStream {

    public static final Duration MIN_PERIOD = Duration.ofMillis(100);
    public static final Duration MAX_PERIOD = Duration.ofHours(1);

    private final Duration period;
    private long sequence;

    TimerStream(HttpServerRequest request, EventLoop loop, OpenStreams streams, Duration period, long lastSequence) {
        super(request, loop, StreamFamily.TIMER, streams);
        this.period = period;
        this.sequence = lastSequence;
    }

    void start() {
        open();
        ScheduledFuture<?> ticking = eventLoop().scheduleAtFixedRate(this::tick, 0, period.toNanos(),
                TimeUnit.NANOSECONDS);
        onClose(() -> ticking.cancel(false));
    }

    private void tick() {
        sequence++;
        write(SseEncoder.event(Long.toString(sequence), "tick",
                "{\"seq\":" + sequence + ",\"time\":\"" + Instant.now().truncatedTo(ChronoUnit.MILLIS) + "\"}"));
    }
}
