package dev.tidings.server.sse;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** Resuming from Last-Event-ID, run against the native executable ({@code -Dnative}). */
@QuarkusIntegrationTest
class NativeResumeIT extends ResumeTest {
}
