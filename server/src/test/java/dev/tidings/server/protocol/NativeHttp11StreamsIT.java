package dev.tidings.server.protocol;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** The stream contract over HTTP/1.1, run against the native executable ({@code -Dnative}). */
@QuarkusIntegrationTest
class NativeHttp11StreamsIT extends Http11StreamsTest {
}
