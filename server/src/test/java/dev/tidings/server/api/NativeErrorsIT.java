package dev.tidings.server.api;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** Problem responses for bad requests, run against the native executable ({@code -Dnative}). */
@QuarkusIntegrationTest
class NativeErrorsIT extends ErrorsTest {
}
