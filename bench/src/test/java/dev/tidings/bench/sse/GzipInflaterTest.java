package dev.tidings.bench.sse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.Test;

class GzipInflaterTest {

    private static final String[] EVENTS = {"retry: 3000\n\n", "id: 1\ndata: {\"s\":1,\"t\":5}\n\n",
            ": hb\n\n", "id: 2\ndata: {\"s\":2,\"t\":9,\"p\":\"" + "lorem ipsum ".repeat(40) + "\"}\n\n"};

    /** A gzip body as a server writes one: the stream flushed after every event. */
    private static byte[][] flushedPerEvent() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        byte[][] afterEach = new byte[EVENTS.length][];
        try (GZIPOutputStream gzip = new GZIPOutputStream(bytes, true)) {
            for (int i = 0; i < EVENTS.length; i++) {
                gzip.write(EVENTS[i].getBytes(StandardCharsets.UTF_8));
                gzip.flush();
                afterEach[i] = bytes.toByteArray();
            }
        }
        return afterEach;
    }

    private static final class Collected implements ChunkedDecoder.Sink {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();

        @Override
        public void accept(byte[] bytes, int offset, int count) {
            out.write(bytes, offset, count);
        }

        String text() {
            return out.toString(StandardCharsets.UTF_8);
        }
    }

    @Test
    void handsOverEachFlushedEventAsSoonAsItsBytesAreIn() throws IOException {
        byte[][] afterEach = flushedPerEvent();
        Collected sink = new Collected();
        try (GzipInflater inflater = new GzipInflater(sink)) {
            int fed = 0;
            StringBuilder expected = new StringBuilder();
            for (int i = 0; i < EVENTS.length; i++) {
                byte[] upTo = afterEach[i];
                inflater.accept(upTo, fed, upTo.length - fed);
                fed = upTo.length;
                expected.append(EVENTS[i]);
                assertThat(sink.text()).as("after event %d", i).isEqualTo(expected.toString());
            }
        }
    }

    @Test
    void inflatesWhateverTheReadsSplit() throws IOException {
        byte[][] afterEach = flushedPerEvent();
        byte[] body = afterEach[afterEach.length - 1];
        for (int size : new int[] {1, 2, 3, 7, 64, body.length}) {
            Collected sink = new Collected();
            try (GzipInflater inflater = new GzipInflater(sink)) {
                for (int i = 0; i < body.length; i += size) {
                    inflater.accept(body, i, Math.min(size, body.length - i));
                }
            }
            assertThat(sink.text()).as("reads of %d bytes", size).isEqualTo(String.join("", EVENTS));
        }
    }

    @Test
    void skipsTheOptionalHeaderFields() {
        // FHCRC | FEXTRA | FNAME | FCOMMENT, then raw deflate data
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(new byte[] {0x1f, (byte) 0x8b, 8, 2 | 4 | 8 | 16, 0, 0, 0, 0, 0, 3});
        body.writeBytes(new byte[] {3, 0, 'a', 'b', 'c'});
        body.writeBytes("events.txt\0".getBytes(StandardCharsets.ISO_8859_1));
        body.writeBytes("a comment\0".getBytes(StandardCharsets.ISO_8859_1));
        body.writeBytes(new byte[] {0x12, 0x34});
        Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        deflater.setInput("data: x\n\n".getBytes(StandardCharsets.UTF_8));
        byte[] deflated = new byte[256];
        int n = deflater.deflate(deflated, 0, deflated.length, Deflater.SYNC_FLUSH);
        deflater.end();
        body.write(deflated, 0, n);
        byte[] bytes = body.toByteArray();

        Collected sink = new Collected();
        try (GzipInflater inflater = new GzipInflater(sink)) {
            for (byte b : bytes) {
                inflater.accept(new byte[] {b}, 0, 1);
            }
        }
        assertThat(sink.text()).isEqualTo("data: x\n\n");
    }

    @Test
    void ignoresTheTrailerOnceTheDataEnded() throws IOException {
        byte[][] afterEach = flushedPerEvent();
        ByteArrayOutputStream whole = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(whole)) {
            gzip.write("data: last\n\n".getBytes(StandardCharsets.UTF_8));
        }
        byte[] bytes = whole.toByteArray();
        Collected sink = new Collected();
        try (GzipInflater inflater = new GzipInflater(sink)) {
            inflater.accept(bytes, 0, bytes.length);
            inflater.accept(afterEach[0], 0, afterEach[0].length); // after the end: not read as more data
        }
        assertThat(sink.text()).isEqualTo("data: last\n\n");
    }

    @Test
    void refusesWhatIsNotGzip() {
        byte[] plain = "data: x\n\n\n\n\n".getBytes(StandardCharsets.UTF_8);
        try (GzipInflater inflater = new GzipInflater(new Collected())) {
            assertThatThrownBy(() -> inflater.accept(plain, 0, plain.length))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("not a gzip body");
        }
        byte[] corrupt = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, (byte) 0xff, (byte) 0xff, (byte) 0xff, 1, 2};
        try (GzipInflater inflater = new GzipInflater(new Collected())) {
            assertThatThrownBy(() -> inflater.accept(corrupt, 0, corrupt.length))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("corrupt gzip data");
        }
    }
}
