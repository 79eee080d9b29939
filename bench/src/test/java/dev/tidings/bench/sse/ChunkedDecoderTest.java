package dev.tidings.bench.sse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class ChunkedDecoderTest {

    private static final String BODY = "6\r\nretry:\r\n"
            + "17;name=value\r\nid: 1-0\ndata: {\"a\":1}\n\n\r\n"
            + "A\r\n0123456789\r\n"
            + "0\r\nTrailer: x\r\n\r\n";
    private static final String PAYLOAD = "retry:id: 1-0\ndata: {\"a\":1}\n\n0123456789";

    @Test
    void decodesChunksWithExtensionsAndTrailers() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ChunkedDecoder decoder = new ChunkedDecoder(out::write);
        byte[] bytes = (BODY + "NEXT").getBytes(StandardCharsets.ISO_8859_1);

        int consumed = decoder.feed(bytes, 0, bytes.length);

        assertThat(out.toString(StandardCharsets.ISO_8859_1)).isEqualTo(PAYLOAD);
        assertThat(decoder.isDone()).isTrue();
        assertThat(consumed).isEqualTo(BODY.length());
    }

    @Test
    void decodesTheSameWhateverTheReadBoundaries() {
        byte[] bytes = BODY.getBytes(StandardCharsets.ISO_8859_1);
        for (int size = 1; size <= 7; size++) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ChunkedDecoder decoder = new ChunkedDecoder(out::write);
            for (int i = 0; i < bytes.length; i += size) {
                decoder.feed(bytes, i, Math.min(size, bytes.length - i));
            }
            assertThat(out.toString(StandardCharsets.ISO_8859_1)).as("reads of %d bytes", size).isEqualTo(PAYLOAD);
            assertThat(decoder.isDone()).isTrue();
        }
    }

    @Test
    void acceptsUpperCaseHexAndBareLineFeeds() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ChunkedDecoder decoder = new ChunkedDecoder(out::write);
        byte[] bytes = ("B\nhello world\n0\n\n").getBytes(StandardCharsets.ISO_8859_1);
        decoder.feed(bytes, 0, bytes.length);
        assertThat(out.toString(StandardCharsets.ISO_8859_1)).isEqualTo("hello world");
        assertThat(decoder.isDone()).isTrue();
    }

    @Test
    void refusesBadFraming() {
        byte[] noSize = "xyz\r\n".getBytes(StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> new ChunkedDecoder((b, o, c) -> { }).feed(noSize, 0, noSize.length))
                .isInstanceOf(IllegalStateException.class);
        byte[] noCrlf = "3\r\nabcX".getBytes(StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> new ChunkedDecoder((b, o, c) -> { }).feed(noCrlf, 0, noCrlf.length))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("CRLF");
        byte[] huge = "FFFFFFFFFFFFFFFFF\r\n".getBytes(StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> new ChunkedDecoder((b, o, c) -> { }).feed(huge, 0, huge.length))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("too large");
    }
}
