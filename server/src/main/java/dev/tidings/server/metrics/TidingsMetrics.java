package dev.tidings.server.metrics;

import java.util.function.Supplier;

import jakarta.inject.Singleton;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/** Tidings's own meters, exposed at {@code /q/metrics} with the {@code tidings_} prefix. */
@Singleton
public class TidingsMetrics {

    private final MeterRegistry registry;
    private final Counter published;
    private final Counter delivered;
    private final Counter dropped;
    private final Counter replayed;
    private final Counter slowConsumerDisconnects;
    private final Counter clientDisconnects;
    private final Counter publishesRefused;
    private final Counter publishesOverLimit;
    private final Counter streamsOverLimit;

    public TidingsMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.published = Counter.builder("tidings.events.published")
                .description("Events accepted for publishing").register(registry);
        this.delivered = Counter.builder("tidings.events.delivered")
                .description("Event frames written to subscribers, live or replayed").register(registry);
        this.dropped = Counter.builder("tidings.events.dropped")
                .description("Event frames discarded when a stream was closed for a full send queue").register(registry);
        this.replayed = Counter.builder("tidings.events.replayed")
                .description("Event frames written from history on resume").register(registry);
        this.slowConsumerDisconnects = Counter.builder("tidings.streams.slow.disconnects")
                .description("Streams closed because their send queue overflowed").register(registry);
        this.clientDisconnects = Counter.builder("tidings.streams.client.disconnects")
                .description("Streams ended by the client closing the connection").register(registry);
        this.publishesRefused = Counter.builder("tidings.publish.refused")
                .description("Publishes refused (503) because fan-out was too far behind").register(registry);
        this.publishesOverLimit = limitRefused("publish");
        this.streamsOverLimit = limitRefused("streams");
    }

    private Counter limitRefused(String limit) {
        return Counter.builder("tidings.limits.refused").tag("limit", limit)
                .description("Requests refused (429) because their client went past a per-client limit")
                .register(registry);
    }

    /** Registers the gauge of open streams of one family (events, notifications, chat, timer). */
    public void openStreams(String family, Supplier<Number> count) {
        Gauge.builder("tidings.streams.open", count).tag("family", family)
                .description("Open SSE streams").register(registry);
    }

    /** Registers the gauges of what retained history holds: events and envelope bytes. */
    public void retainedHistory(Supplier<Number> events, Supplier<Number> bytes) {
        Gauge.builder("tidings.history.events", events)
                .description("Events retained in history for replay").register(registry);
        Gauge.builder("tidings.history.bytes", bytes).baseUnit("bytes")
                .description("Envelope bytes of the events retained in history").register(registry);
    }

    public void published() {
        published.increment();
    }

    public void delivered(int count) {
        if (count > 0) {
            delivered.increment(count);
        }
    }

    public void replayed(int count) {
        replayed.increment(count);
        delivered.increment(count);
    }

    /** A stream closed for a full send queue, discarding {@code framesDropped} event frames. */
    public void slowConsumerDisconnected(int framesDropped) {
        slowConsumerDisconnects.increment();
        dropped.increment(framesDropped);
    }

    public void clientDisconnected() {
        clientDisconnects.increment();
    }

    public void publishRefused() {
        publishesRefused.increment();
    }

    public void publishOverLimit() {
        publishesOverLimit.increment();
    }

    public void streamOverLimit() {
        streamsOverLimit.increment();
    }
}
