package dev.tidings.server.protocol;

import java.net.URI;
import java.util.List;
import java.util.Map;

import dev.tidings.server.support.ProtocolSseClient.Protocol;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** The stream contract over HTTP/2 on TLS, negotiated by ALPN, with a key made for the test. */
@QuarkusTest
@TestProfile(TlsH2StreamsTest.TlsH2.class)
class TlsH2StreamsTest extends StreamContractTests {

    public static class TlsH2 extends StreamSettingsProfile {
        @Override
        protected Map<String, String> protocolOverrides() {
            return Map.of("quarkus.http.http2", "true");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(SelfSignedTlsKey.class));
        }
    }

    @TestHTTPResource(value = "/", tls = true)
    URI tlsRoot;

    @Override
    protected Protocol protocol() {
        return Protocol.H2_TLS;
    }

    @Override
    protected URI streamsRoot() {
        return tlsRoot;
    }
}
