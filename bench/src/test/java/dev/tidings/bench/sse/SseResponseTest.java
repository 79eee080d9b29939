package dev.tidings.bench.sse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.Test;

class SseResponseTest {

    private static final class Recorder implements SseResponse.Handler {
        final List<String> seen = new ArrayList<>();

        @Override
        public void onHead(int status) {
            seen.add("head " + status);
        }

        @Override
        public void onEvent(byte[] data, int length, String type) {
            seen.add(type + " " + new String(data, 0, length, StandardCharsets.UTF_8));
        }

        @Override
        public void onBodyEnd() {
            seen.add("end");
        }
    }

    private static List<String> feed(SseResponse response, Recorder recorder, String text, int readSize) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i += readSize) {
            response.feed(bytes, i, Math.min(readSize, bytes.length - i));
        }
        return recorder.seen;
    }

    @Test
    void scansAChunkedStreamUntilItsLastChunk() {
        String text = "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\ncontent-type: text/event-stream\r\n\r\n"
                + "d\r\nretry: 3000\n\n\r\n"
                + "15\r\nid: 9\ndata: {\"s\":1}\n\n\r\n"
                + "0\r\n\r\n";
        for (int size : new int[] {1, 2, 5, 1000}) {
            Recorder recorder = new Recorder();
            SseResponse response = new SseResponse(recorder);
            assertThat(feed(response, recorder, text, size)).containsExactly("head 200", "message {\"s\":1}", "end");
            assertThat(response.lastEventId()).isEqualTo("9");
            assertThat(response.isEnded()).isTrue();
        }
    }

    @Test
    void inflatesAGzipBodyInsideItsChunks() throws Exception {
        ByteArrayOutputStream deflated = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(deflated, true)) {
            gzip.write("retry: 3000\n\nid: 7\ndata: {\"s\":3}\n\n".getBytes(StandardCharsets.UTF_8));
            gzip.flush();
        }
        byte[] body = deflated.toByteArray();
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        wire.writeBytes(("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Encoding: gzip\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
        int half = body.length / 2;
        for (int[] chunk : new int[][] {{0, half}, {half, body.length - half}}) {
            wire.writeBytes((Integer.toHexString(chunk[1]) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            wire.write(body, chunk[0], chunk[1]);
            wire.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
        }
        byte[] bytes = wire.toByteArray();
        for (int size : new int[] {1, 3, bytes.length}) {
            Recorder recorder = new Recorder();
            SseResponse response = new SseResponse(recorder);
            for (int i = 0; i < bytes.length; i += size) {
                response.feed(bytes, i, Math.min(size, bytes.length - i));
            }
            response.release();
            assertThat(recorder.seen).containsExactly("head 200", "message {\"s\":3}");
            assertThat(response.contentEncoding()).isEqualTo("gzip");
            assertThat(response.lastEventId()).isEqualTo("7");
        }
    }

    @Test
    void refusesAnEncodingItCannotRead() {
        Recorder recorder = new Recorder();
        SseResponse response = new SseResponse(recorder);
        byte[] bytes = "HTTP/1.1 200 OK\r\nContent-Encoding: br\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> response.feed(bytes, 0, bytes.length))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("br");
        assertThat(recorder.seen).isEmpty();
    }

    @Test
    void scansABodyDelimitedByTheConnection() {
        Recorder recorder = new Recorder();
        SseResponse response = new SseResponse(recorder);
        feed(response, recorder, "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n\r\ndata: a\n\ndata: b\n\n", 7);
        assertThat(recorder.seen).containsExactly("head 200", "message a", "message b");
        assertThat(response.isEnded()).isFalse();
    }

    @Test
    void scansAFixedLengthBody() {
        Recorder recorder = new Recorder();
        SseResponse response = new SseResponse(recorder);
        feed(response, recorder, "HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\ndata: a\n\ndata: b\n\n", 3);
        assertThat(recorder.seen).containsExactly("head 200", "message a", "end");
    }

    @Test
    void reportsARefusalWithoutScanningItsBody() {
        Recorder recorder = new Recorder();
        SseResponse response = new SseResponse(recorder);
        feed(response, recorder, "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 11\r\n\r\ndata: x\n\n\n", 4);
        assertThat(recorder.seen).containsExactly("head 503");
        assertThat(response.status()).isEqualTo(503);
    }
}
