package dev.tidings.server.security;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** The JWT access rules, run against the native executable ({@code -Dnative}). */
@QuarkusIntegrationTest
class NativeSecurityIT extends SecurityTest {
}
