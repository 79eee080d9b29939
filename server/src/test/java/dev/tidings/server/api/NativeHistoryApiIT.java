package dev.tidings.server.api;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** The history API, run against the native executable ({@code -Dnative}). */
@QuarkusIntegrationTest
class NativeHistoryApiIT extends HistoryApiTest {
}
