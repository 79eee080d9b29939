package dev.tidings.server.protocol;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** The stream contract on the Redis bus, run against the native executable ({@code -Dnative}). */
@QuarkusIntegrationTest
class NativeRedisBusStreamsIT extends RedisBusStreamsTest {
}
