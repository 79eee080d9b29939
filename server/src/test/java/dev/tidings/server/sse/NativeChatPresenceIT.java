package dev.tidings.server.sse;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** Chat presence, run against the native executable ({@code -Dnative}). */
@QuarkusIntegrationTest
class NativeChatPresenceIT extends ChatPresenceTest {
}
