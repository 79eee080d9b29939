package dev.tidings.server.sse;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** The timer stream, run against the native executable ({@code -Dnative}). */
@QuarkusIntegrationTest
class NativeTimerStreamIT extends TimerStreamTest {
}
