package dev.tidings.server.sse;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;

/** Per-connection ticks: {@code id} is the sequence number, so a reconnect continues at n+1. */
final class TimerStream extends SseStream {

    private final Duration period;
    private long sequence;

    TimerStream(StreamLoop loop, OpenStreams streams, HttpServerResponse response, Duration period, long lastSequence) {
        super(loop, StreamFamily.TIMER, streams, response);
        this.period = period;
        this.sequence = lastSequence;
    }

    /** Ticks at once, then every period, on this stream's event loop. */
    void start(Vertx vertx) {
        tick();
        long timer = vertx.setPeriodic(period.toMillis(), id -> tick());
        onClose(() -> vertx.cancelTimer(timer));
    }

    private void tick() {
        sequence++;
        send(SseEncoder.event(Long.toString(sequence), "tick",
                "{\"seq\":" + sequence + ",\"time\":\"" + Instant.now().truncatedTo(ChronoUnit.MILLIS) + "\"}"));
    }
}
