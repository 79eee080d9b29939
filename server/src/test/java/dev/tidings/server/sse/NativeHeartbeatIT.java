package dev.tidings.server.sse;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** Heartbeats, run against the native executable ({@code -Dnative}). */
@QuarkusIntegrationTest
class NativeHeartbeatIT extends HeartbeatTest {
}
