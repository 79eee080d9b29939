package dev.tidings.server.protocol;

import java.util.Map;

import dev.tidings.server.support.ProtocolSseClient.Protocol;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * The stream contract over cleartext HTTP/2 with prior knowledge (no upgrade from HTTP/1.1): each
 * stream is one HTTP/2 stream, and a stalled reader is felt through flow control.
 */
@QuarkusTest
@TestProfile(H2cStreamsTest.H2c.class)
class H2cStreamsTest extends StreamContractTests {

    /** Quarkus accepts h2c prior knowledge on the plain port while HTTP/2 is on (its default). */
    public static class H2c extends StreamSettingsProfile {
        @Override
        protected Map<String, String> protocolOverrides() {
            return Map.of("quarkus.http.http2", "true");
        }
    }

    @Override
    protected Protocol protocol() {
        return Protocol.H2C;
    }
}
