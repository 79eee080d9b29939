package dev.tidings.bench.sse;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

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
