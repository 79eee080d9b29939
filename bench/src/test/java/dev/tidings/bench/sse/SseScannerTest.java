package dev.tidings.bench.sse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class SseScannerTest {

    /** What a scanner reported, in order. */
    private static final class Recorder implements SseScanner.Listener {
        final List<String> seen = new ArrayList<>();
        SseScanner scanner;

        @Override
        public void onEvent(byte[] data, int length, String type) {
            seen.add(type + "|" + new String(data, 0, length, StandardCharsets.UTF_8) + "|" + scanner.lastEventId());
        }

        @Override
        public void onComment() {
            seen.add("comment");
        }

        @Override
        public void onRetry(long millis) {
            seen.add("retry " + millis);
        }
    }

    private static List<String> scan(String stream, int readSize) {
        Recorder recorder = new Recorder();
        SseScanner scanner = new SseScanner(recorder);
        recorder.scanner = scanner;
        byte[] bytes = stream.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i += readSize) {
            scanner.feed(bytes, i, Math.min(readSize, bytes.length - i));
        }
        return recorder.seen;
    }

    private static final String TIDINGS = "retry: 3000\n\n"
            + "id: 1795259502051-0\nevent: message\ndata: {\"id\":\"1795259502051-0\",\"data\":{\"s\":0}}\n\n"
            + ": hb\n\n"
            + "event: reset\ndata: {\"reason\":\"history-gap\"}\n\n";

    @Test
    void readsFramesAsTidingsWritesThem() {
        assertThat(scan(TIDINGS, 4096)).containsExactly(
                "retry 3000",
                "message|{\"id\":\"1795259502051-0\",\"data\":{\"s\":0}}|1795259502051-0",
                "comment",
                "reset|{\"reason\":\"history-gap\"}|1795259502051-0");
    }

    @Test
    void readsTheSameWhateverTheReadBoundariesAndLineEnds() {
        List<String> expected = scan(TIDINGS, 4096);
        for (String lineEnd : List.of("\n", "\r\n", "\r")) {
            String stream = TIDINGS.replace("\n", lineEnd);
            for (int size = 1; size <= 9; size++) {
                assertThat(scan(stream, size)).as("line end %s, reads of %d", lineEnd.replace("\r", "CR")
                        .replace("\n", "LF"), size).isEqualTo(expected);
            }
        }
    }

    @Test
    void takesALineUpToTheBoundAcrossReadsAndRefusesOneByteMore() {
        String longest = "data: " + "x".repeat(SseScanner.MAX_LINE - 6);
        assertThat(scan(longest + "\n\n", 4096)).containsExactly("message|" + longest.substring(6) + "|null");
        assertThatThrownBy(() -> scan(longest + "x\n\n", 4096)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("SSE line over");
    }

    @Test
    void joinsDataLinesAndDropsOnlyOneLeadingSpace() {
        assertThat(scan("data:a\ndata:  b\ndata\n\n", 3)).containsExactly("message|a\n b\n|null");
    }

    @Test
    void skipsALeadingByteOrderMarkEvenWhenSplit() {
        String stream = "\uFEFFdata: x\n\n";
        assertThat(scan(stream, 1)).containsExactly("message|x|null");
        assertThat(scan(stream, 2)).containsExactly("message|x|null");
        assertThat(scan(stream, 100)).containsExactly("message|x|null");
    }

    @Test
    void anEventWithoutDataIsNotDispatchedButItsIdCounts() {
        assertThat(scan("id: 7\nevent: ping\n\ndata: y\n\n", 5)).containsExactly("message|y|7");
    }

    @Test
    void ignoresIdsWithNulAndRetriesThatAreNotDigits() {
        assertThat(scan("id: 1\ndata: a\n\nid: 2\u0000\nretry: 10s\nretry: 250\ndata: b\n\n", 4))
                .containsExactly("message|a|1", "retry 250", "message|b|1");
    }

    @Test
    void anEmptyIdClearsTheLastEventId() {
        assertThat(scan("id: 5\ndata: a\n\nid\ndata: b\n\n", 64)).containsExactly("message|a|5", "message|b|");
    }

    @Test
    void ignoresUnknownFields() {
        assertThat(scan("foo: bar\nevent: tick\ndata: 1\n\n", 64)).containsExactly("tick|1|null");
    }
}
