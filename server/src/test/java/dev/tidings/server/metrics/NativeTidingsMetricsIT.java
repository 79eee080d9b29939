package dev.tidings.server.metrics;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** The Tidings metrics, run against the native executable ({@code -Dnative}). */
@QuarkusIntegrationTest
class NativeTidingsMetricsIT extends TidingsMetricsTest {
}
