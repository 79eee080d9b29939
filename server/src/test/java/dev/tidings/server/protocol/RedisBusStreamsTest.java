package dev.tidings.server.protocol;

import java.util.List;

import org.junit.jupiter.api.extension.ExtendWith;

import dev.tidings.server.support.ProtocolSseClient.Protocol;
import dev.tidings.server.support.RedisAvailable;
import dev.tidings.server.support.RedisTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** The stream contract over HTTP/1.1 with the Redis bus: history, replay and fan-out through a real Redis. */
@QuarkusTest
@TestProfile(RedisBusStreamsTest.RedisBus.class)
@ExtendWith(RedisAvailable.class)
class RedisBusStreamsTest extends StreamContractTests {

    public static class RedisBus extends StreamSettingsProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(RedisTestResource.class));
        }
    }

    @Override
    protected Protocol protocol() {
        return Protocol.HTTP_1_1;
    }
}
