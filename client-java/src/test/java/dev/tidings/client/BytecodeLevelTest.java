package dev.tidings.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The SDK runs on Java 11: its own classes and those of every runtime dependency must be class
 * file version 55 or lower. (The Quarkus BOM's Mutiny 3 is 61, hence the pinned Mutiny 2.)
 */
class BytecodeLevelTest {

    private static final int JAVA_11 = 55;

    @ParameterizedTest
    @ValueSource(strings = {
            "dev/tidings/client/TidingsClient.class",
            "dev/tidings/client/internal/SseParser.class",
            "io/smallrye/mutiny/Multi.class",
            "io/smallrye/common/annotation/Blocking.class",
            "org/jctools/queues/MpscArrayQueue.class",
            "com/fasterxml/jackson/databind/ObjectMapper.class",
            "com/fasterxml/jackson/core/JsonFactory.class",
            "com/fasterxml/jackson/annotation/JsonCreator.class"})
    void runsOnJava11(String resource) throws IOException {
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(resource)) {
            assertThat(in).as(resource).isNotNull();
            DataInputStream data = new DataInputStream(in);
            assertThat(data.readInt()).isEqualTo(0xCAFEBABE);
            data.readUnsignedShort(); // minor
            assertThat(data.readUnsignedShort()).as("class file major version of %s", resource)
                    .isLessThanOrEqualTo(JAVA_11);
        }
    }
}
