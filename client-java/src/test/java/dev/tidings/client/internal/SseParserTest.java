package dev.tidings.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

import org.junit.jupiter.api.Test;

/**
 * The WHATWG "Server-sent events" parsing rules (HTML, section 9.2.6), one rule per test. Every
 * stream is also fed one byte at a time and at every two-chunk split, and must parse the same.
 */
class SseParserTest {

    @Test
    void aLeadingBomIsStrippedOnce() {
        assertThat(parse("\uFEFFdata: a\n\n")).containsExactly(event("message", "a", ""));
        // A second BOM is part of the first field name, which is then unknown: nothing dispatched.
        assertThat(parse("\uFEFF\uFEFFdata: a\n\n")).isEmpty();
    }

    @Test
    void aBomAfterTheStartOfTheStreamIsKept() {
        assertThat(parse("data: a\n\n\uFEFFdata: b\n\ndata: \uFEFFc\n\n"))
                .containsExactly(event("message", "a", ""), event("message", "\uFEFFc", ""));
    }

    @Test
    void linesEndWithLf() {
        assertThat(parse("event: e\ndata: a\n\n")).containsExactly(event("e", "a", ""));
    }

    @Test
    void linesEndWithCr() {
        assertThat(parse("event: e\rdata: a\r\r")).containsExactly(event("e", "a", ""));
    }

    @Test
    void linesEndWithCrLf() {
        assertThat(parse("event: e\r\ndata: a\r\n\r\n")).containsExactly(event("e", "a", ""));
    }

    @Test
    void lineEndsMayBeMixed() {
        assertThat(parse("data: a\rdata: b\ndata: c\r\n\n")).containsExactly(event("message", "a\nb\nc", ""));
    }

    @Test
    void aCrLfSplitAcrossTwoReadsIsOneLineEnd() {
        Recorder recorder = new Recorder();
        SseParser parser = new SseParser(recorder);
        parser.feed(utf8("data: a\r"));
        parser.feed(utf8("\ndata: b\r"));
        parser.feed(utf8("\n\r"));
        parser.feed(utf8("\n"));
        // Had a split CRLF counted as two line ends, "a" would have been dispatched on its own.
        assertThat(recorder.events).containsExactly(event("message", "a\nb", ""));
    }

    @Test
    void everyEventFedOneByteAtATimeParsesTheSame() {
        String stream = "\uFEFF: hi\r\nretry: 10\nid: 7\r\nevent: tick\rdata: {\"n\":\"é€😀\"}\r\n\r\n"
                + "data\n\nid\ndata: x\r\rdata: 1\ndata: 2\n\n";
        List<Object> whole = parse(stream);
        assertThat(whole).containsExactly(comment(" hi"), retry(10),
                event("tick", "{\"n\":\"é€😀\"}", "7"), event("message", "", "7"), event("message", "x", ""),
                event("message", "1\n2", ""));
        assertThat(parseByteByByte(utf8(stream))).isEqualTo(whole);
    }

    @Test
    void aFieldWithNoColonHasTheEmptyStringAsItsValue() {
        // "data" alone appends an empty line; "event" alone resets the type to the default.
        assertThat(parse("data\n\n")).containsExactly(event("message", "", ""));
        assertThat(parse("event\ndata: a\n\n")).containsExactly(event("message", "a", ""));
        assertThat(parse("data\ndata\ndata: x\n\n")).containsExactly(event("message", "\n\nx", ""));
    }

    @Test
    void oneLeadingSpaceOfTheValueIsRemovedNotTwo() {
        assertThat(parse("data:  two\n\n")).containsExactly(event("message", " two", ""));
        assertThat(parse("data: one\n\n")).containsExactly(event("message", "one", ""));
        assertThat(parse("data:none\n\n")).containsExactly(event("message", "none", ""));
        assertThat(parse("data:\ttab\n\n")).containsExactly(event("message", "\ttab", ""));
    }

    @Test
    void onlyTheFirstColonSeparatesFieldAndValue() {
        assertThat(parse("data: a: b:c\n\n")).containsExactly(event("message", "a: b:c", ""));
    }

    @Test
    void anIdContainingNulIsIgnored() {
        assertThat(parse("id: 1\ndata: a\n\nid: 2\u00003\ndata: b\n\n"))
                .containsExactly(event("message", "a", "1"), event("message", "b", "1"));
    }

    @Test
    void anEmptyIdResetsTheLastEventId() {
        Recorder recorder = new Recorder();
        SseParser parser = new SseParser(recorder);
        parser.feed(utf8("id: 5\ndata: a\n\nid\ndata: b\n\nid: 6\ndata: c\n\nid:\ndata: d\n\n"));
        assertThat(recorder.events).containsExactly(event("message", "a", "5"), event("message", "b", ""),
                event("message", "c", "6"), event("message", "d", ""));
        assertThat(parser.lastEventId()).isEmpty();
    }

    @Test
    void theLastEventIdPersistsAcrossEventsThatHaveNoId() {
        assertThat(parse("id: 9\ndata: a\n\ndata: b\n\n"))
                .containsExactly(event("message", "a", "9"), event("message", "b", "9"));
    }

    @Test
    void anIdWithEmptyDataUpdatesTheLastEventIdButDispatchesNothing() {
        Recorder recorder = new Recorder();
        SseParser parser = new SseParser(recorder);
        parser.feed(utf8("id: 42\n\n"));
        assertThat(recorder.events).isEmpty();
        assertThat(parser.lastEventId()).isEqualTo("42");
    }

    @Test
    void retryWithOnlyDigitsIsReported() {
        assertThat(parse("retry: 3000\n\nretry:0\n\n")).containsExactly(retry(3000), retry(0));
    }

    @Test
    void retryWithAnythingButDigitsIsIgnored() {
        assertThat(parse("retry: 10a\nretry: -1\nretry: 1.5\nretry:  100\nretry: \nretry\nretry: ١٢\n\n")).isEmpty();
    }

    @Test
    void dataLinesAreJoinedWithLf() {
        assertThat(parse("data: a\ndata: b\ndata: c\n\n")).containsExactly(event("message", "a\nb\nc", ""));
    }

    @Test
    void anEventWithNoDataDispatchesNothing() {
        assertThat(parse("event: e\n\nid: 1\n\n\n\n")).isEmpty();
    }

    @Test
    void theEventTypeIsResetAfterADispatchAndAfterAnEmptyEvent() {
        assertThat(parse("event: a\ndata: 1\n\ndata: 2\n\nevent: b\n\ndata: 3\n\n"))
                .containsExactly(event("a", "1", ""), event("message", "2", ""), event("message", "3", ""));
    }

    @Test
    void unknownFieldsAreIgnored() {
        assertThat(parse("foo: bar\nData: x\nDATA\n ata: y\ndata: a\nevent : z\n\n"))
                .containsExactly(event("message", "a", ""));
    }

    @Test
    void commentsAreReportedAndDispatchNothing() {
        assertThat(parse(": hb\n\n:\ndata: a\n:x\n\n"))
                .containsExactly(comment(" hb"), comment(""), comment("x"), event("message", "a", ""));
    }

    @Test
    void anIncompleteEventAtTheEndOfTheStreamIsDiscarded() {
        Recorder recorder = new Recorder();
        SseParser parser = new SseParser(recorder);
        parser.feed(utf8("data: a\n\nid: 2\nevent: x\ndata: cut off\n"));
        parser.endOfStream();
        parser.feed(utf8("data: b\n\n"));
        // Nothing of the cut event leaks into the next stream: not its data, type or id.
        assertThat(recorder.events).containsExactly(event("message", "a", ""), event("message", "b", ""));
    }

    @Test
    void aLineCutAtTheEndOfTheStreamIsDiscarded() {
        Recorder recorder = new Recorder();
        SseParser parser = new SseParser(recorder);
        parser.feed(utf8("data: a\n\ndata: half a li"));
        parser.endOfStream();
        parser.feed(utf8("ne\n\n"));
        assertThat(recorder.events).containsExactly(event("message", "a", ""));
    }

    @Test
    void theLastEventIdStringSurvivesTheEndOfTheStream() {
        Recorder recorder = new Recorder();
        SseParser parser = new SseParser(recorder, "1-0");
        parser.feed(utf8("id: 5-0\ndata: a\n\n"));
        parser.endOfStream();
        assertThat(parser.lastEventId()).isEqualTo("5-0");
    }

    @Test
    void aNewStreamKeepsTheLastEventIdUntilTheServerSetsOne() {
        // The opening "retry:" block dispatches nothing and must not erase the id to resume from.
        Recorder recorder = new Recorder();
        SseParser parser = new SseParser(recorder, "5-0");
        parser.feed(utf8("retry: 3000\n\n"));
        assertThat(parser.lastEventId()).isEqualTo("5-0");
        parser.endOfStream();
        parser.feed(utf8("retry: 3000\n\nevent: reset\ndata: {}\n\nid: 6-0\ndata: x\n\n"));
        assertThat(recorder.events).containsExactly(retry(3000), retry(3000), event("reset", "{}", "5-0"),
                event("message", "x", "6-0"));
        assertThat(parser.lastEventId()).isEqualTo("6-0");
    }

    @Test
    void aMultiByteCharacterSplitAcrossReadsDecodesWhole() {
        String text = "é€😀"; // 2, 3 and 4 bytes
        byte[] bytes = utf8("data: " + text + "\n\n");
        for (int split = 1; split < bytes.length; split++) {
            Recorder recorder = new Recorder();
            SseParser parser = new SseParser(recorder);
            parser.feed(bytes, 0, split);
            parser.feed(bytes, split, bytes.length - split);
            assertThat(recorder.events).as("split at %d", split).containsExactly(event("message", text, ""));
        }
        assertThat(parseByteByByte(bytes)).containsExactly(event("message", text, ""));
    }

    @Test
    void invalidUtf8BecomesTheReplacementCharacter() {
        byte[] bytes = concat(utf8("data: a"), new byte[] {(byte) 0xFF, (byte) 0xC3}, utf8("b\n\n"));
        assertThat(parseChunks(bytes, bytes.length)).containsExactly(event("message", "a\uFFFD\uFFFDb", ""));
        assertThat(parseByteByByte(bytes)).containsExactly(event("message", "a\uFFFD\uFFFDb", ""));
    }

    @Test
    void aFiveMegabyteEventIsDeliveredWhole() {
        char[] filler = new char[5 * 1024 * 1024];
        Arrays.fill(filler, 'x');
        String big = new String(filler);
        byte[] bytes = utf8("id: big\ndata: " + big + "\ndata: end\n\n");
        List<Object> events = parseChunks(bytes, 16 * 1024 + 7);
        assertThat(events).hasSize(1);
        Event event = (Event) events.get(0);
        assertThat(event.data).hasSize(big.length() + "\nend".length()).startsWith("xxx").endsWith("x\nend");
        assertThat(event.id).isEqualTo("big");
    }

    @Test
    void splittingAtEveryPositionGivesTheSameEvents() {
        String stream = "\uFEFFid: 1-0\r\nevent: message\r\ndata: {\"text\":\"Grüße\"}\r\n\r\n: hb\r\rdata: ok\n\n";
        byte[] bytes = utf8(stream);
        List<Object> whole = parseChunks(bytes, bytes.length);
        assertThat(whole).hasSize(3);
        for (int split = 1; split < bytes.length; split++) {
            Recorder recorder = new Recorder();
            SseParser parser = new SseParser(recorder);
            parser.feed(bytes, 0, split);
            parser.feed(bytes, split, bytes.length - split);
            assertThat(recorder.events).as("split at %d", split).isEqualTo(whole);
        }
    }

    @Test
    void readsFromAByteBufferPosition() {
        Recorder recorder = new Recorder();
        SseParser parser = new SseParser(recorder);
        ByteBuffer buffer = ByteBuffer.wrap(utf8("xxdata: a\n\n"));
        buffer.position(2);
        parser.feed(buffer);
        assertThat(buffer.hasRemaining()).isFalse();
        assertThat(recorder.events).containsExactly(event("message", "a", ""));
    }

    // --- helpers

    private static List<Object> parse(String stream) {
        byte[] bytes = utf8(stream);
        List<Object> whole = parseChunks(bytes, Math.max(1, bytes.length));
        assertThat(parseByteByByte(bytes)).as("fed one byte at a time").isEqualTo(whole);
        return whole;
    }

    private static List<Object> parseByteByByte(byte[] bytes) {
        return parseChunks(bytes, 1);
    }

    private static List<Object> parseChunks(byte[] bytes, int chunk) {
        Recorder recorder = new Recorder();
        SseParser parser = new SseParser(recorder);
        for (int i = 0; i < bytes.length; i += chunk) {
            parser.feed(bytes, i, Math.min(chunk, bytes.length - i));
        }
        return recorder.events;
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] part : parts) {
            length += part.length;
        }
        ByteBuffer out = ByteBuffer.allocate(length);
        for (byte[] part : parts) {
            out.put(part);
        }
        return out.array();
    }

    private static Event event(String type, String data, String id) {
        return new Event(type, data, id);
    }

    private static Retry retry(long millis) {
        return new Retry(millis);
    }

    private static Comment comment(String text) {
        return new Comment(text);
    }

    private static final class Recorder implements SseParser.Handler {
        final List<Object> events = new ArrayList<>();

        @Override
        public void onEvent(String type, String data, String lastEventId) {
            events.add(new Event(type, data, lastEventId));
        }

        @Override
        public void onRetry(long millis) {
            events.add(new Retry(millis));
        }

        @Override
        public void onComment(String comment) {
            events.add(new Comment(comment));
        }
    }

    private static final class Event {
        final String type;
        final String data;
        final String id;

        Event(String type, String data, String id) {
            this.type = type;
            this.data = data;
            this.id = id;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Event && ((Event) o).type.equals(type) && ((Event) o).data.equals(data)
                    && ((Event) o).id.equals(id);
        }

        @Override
        public int hashCode() {
            return Objects.hash(type, data, id);
        }

        @Override
        public String toString() {
            String shown = data.length() > 40 ? data.substring(0, 40) + "…(" + data.length() + ")" : data;
            return "Event[" + type + ", " + shown.replace("\n", "\\n") + ", id=" + id + "]";
        }
    }

    private static final class Retry {
        final long millis;

        Retry(long millis) {
            this.millis = millis;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Retry && ((Retry) o).millis == millis;
        }

        @Override
        public int hashCode() {
            return Long.hashCode(millis);
        }

        @Override
        public String toString() {
            return "Retry[" + millis + "]";
        }
    }

    private static final class Comment {
        final String text;

        Comment(String text) {
            this.text = text;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Comment && ((Comment) o).text.equals(text);
        }

        @Override
        public int hashCode() {
            return text.hashCode();
        }

        @Override
        public String toString() {
            return "Comment[" + text + "]";
        }
    }
}
