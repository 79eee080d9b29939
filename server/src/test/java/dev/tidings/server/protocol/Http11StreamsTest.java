package dev.tidings.server.protocol;

import dev.tidings.server.support.ProtocolSseClient.Protocol;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** The stream contract over plain HTTP/1.1, the baseline the other protocols are held to. */
@QuarkusTest
@TestProfile(StreamSettingsProfile.class)
class Http11StreamsTest extends StreamContractTests {

    @Override
    protected Protocol protocol() {
        return Protocol.HTTP_1_1;
    }
}
