package dev.tidings.server.metrics;

import java.util.Set;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.micrometer.core.instrument.config.MeterFilter;

/**
 * Leaves out the HTTP server's byte-count meters. Vert.x records a sample into them on every socket
 * write, into one summary all event loops share, and a fan-out is one write per subscriber per
 * event. Deliveries are counted by {@code tidings_events_delivered_total} instead.
 */
@Singleton
public class ConnectionByteMeters {

    /** The meters left out, by their Micrometer names. */
    private static final Set<String> LEFT_OUT = Set.of("http.server.bytes.written", "http.server.bytes.read");

    @Produces
    @Singleton
    MeterFilter leaveOutByteCounts() {
        return MeterFilter.deny(id -> LEFT_OUT.contains(id.getName()));
    }
}
