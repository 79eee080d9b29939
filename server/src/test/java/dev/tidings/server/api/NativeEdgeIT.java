package dev.tidings.server.api;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** Edge cases of the HTTP API, run against the native executable ({@code -Dnative}). */
@QuarkusIntegrationTest
class NativeEdgeIT extends EdgeTest {
}
