package dev.tidings.server.sse;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** Streams of several topics, run against the native executable ({@code -Dnative}). */
@QuarkusIntegrationTest
class NativeMultiTopicStreamIT extends MultiTopicStreamTest {
}
