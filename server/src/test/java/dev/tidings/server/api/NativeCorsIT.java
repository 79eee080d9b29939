package dev.tidings.server.api;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** CORS, run against the native executable ({@code -Dnative}). */
@QuarkusIntegrationTest
class NativeCorsIT extends CorsTest {
}
