package dev.tidings.server.security;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * The access rules at their defaults (the {@code %test} profile opens publishing to every topic
 * for the other suites), with the HTTP access log written to a file so the tests can read it.
 */
public class SecurityProfile implements QuarkusTestProfile {

    /** Where the native-executable ITs' launcher writes the server's log too, and waits for it to start. */
    static final String LOG_FILE = "target/quarkus.log";

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "tidings.publish.anonymous", "chat/**,notifications/**",
                "quarkus.http.access-log.enabled", "true",
                // The request line with its query, and the headers a token travels in.
                "quarkus.http.access-log.pattern", "%h \"%r\" %s auth=\"%{i,Authorization}\" cookie=\"%{i,Cookie}\"",
                "quarkus.log.file.enabled", "true",
                "quarkus.log.file.path", LOG_FILE);
    }
}
