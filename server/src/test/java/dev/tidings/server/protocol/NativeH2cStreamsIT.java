package dev.tidings.server.protocol;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** The stream contract over h2c, run against the native executable ({@code -Dnative}). */
@QuarkusIntegrationTest
class NativeH2cStreamsIT extends H2cStreamsTest {
}
