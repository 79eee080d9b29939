package dev.tidings.server.protocol;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** The stream contract over HTTP/2 on TLS, run against the native executable ({@code -Dnative}). */
@QuarkusIntegrationTest
class NativeTlsH2StreamsIT extends TlsH2StreamsTest {
}
