package dev.tidings.client.internal;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * An event stream parser that follows the WHATWG HTML "Server-sent events" interpretation rules
 * (section 9.2.6) to the letter. It is fed bytes in chunks of any size: UTF-8 is decoded
 * incrementally, so a character split across chunks decodes whole, and a CR that ends one chunk
 * is matched with an LF that starts the next. Invalid UTF-8 becomes U+FFFD.
 *
 * <p>One parser serves one connection at a time: {@link #endOfStream()} discards whatever event
 * was incomplete and readies the parser for the next connection. The data and event type
 * buffers start empty on each stream. The last event ID buffer starts with the event source's
 * last event ID string, as browsers do, rather than empty: a server's opening {@code retry:}
 * block is a dispatch with no data, and with an empty buffer it would erase the id, so a
 * connection lost before its first event would reconnect without {@code Last-Event-ID} and
 * silently skip what was published meanwhile.
 *
 * <p>Not thread-safe: feed it from one thread at a time.
 */
public final class SseParser {

    /** Receives what the stream dispatches. */
    public interface Handler {

        /** A dispatched event; {@code lastEventId} is the event source's last event ID string. */
        void onEvent(String type, String data, String lastEventId);

        /** A {@code retry} field made only of ASCII digits. */
        default void onRetry(long millis) {
        }

        /** A comment line, without its leading colon. */
        default void onComment(String comment) {
        }
    }

    private static final char BOM = '\uFEFF';
    private static final char NUL = '\u0000';

    private final Handler handler;
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPLACE)
            .onUnmappableCharacter(CodingErrorAction.REPLACE)
            .replaceWith("\uFFFD");
    private final CharBuffer chars = CharBuffer.allocate(8192);
    /** Bytes of a character that the previous chunk ended in the middle of. */
    private ByteBuffer pendingBytes = ByteBuffer.allocate(0);

    private final StringBuilder line = new StringBuilder();
    private final StringBuilder data = new StringBuilder();
    private String eventType = "";
    private String lastEventIdBuffer = "";
    private String lastEventId;

    private boolean startOfStream = true;
    private boolean lastWasCr;

    public SseParser(Handler handler) {
        this(handler, "");
    }

    /** @param lastEventId the event source's last event ID string, carried over from earlier streams */
    public SseParser(Handler handler, String lastEventId) {
        this.handler = handler;
        this.lastEventId = lastEventId == null ? "" : lastEventId;
        this.lastEventIdBuffer = this.lastEventId;
    }

    /** The event source's last event ID string: what a reconnection sends as {@code Last-Event-ID}. */
    public String lastEventId() {
        return lastEventId;
    }

    public void feed(byte[] bytes) {
        feed(ByteBuffer.wrap(bytes));
    }

    public void feed(byte[] bytes, int offset, int length) {
        feed(ByteBuffer.wrap(bytes, offset, length));
    }

    /** Consumes every remaining byte of {@code bytes}. */
    public void feed(ByteBuffer bytes) {
        ByteBuffer in = bytes;
        if (pendingBytes.hasRemaining()) {
            ByteBuffer joined = ByteBuffer.allocate(pendingBytes.remaining() + bytes.remaining());
            joined.put(pendingBytes).put(bytes).flip();
            in = joined;
        }
        while (true) {
            CoderResult result = decoder.decode(in, chars, false);
            drainChars();
            if (result.isUnderflow()) {
                break;
            }
            // Overflow: the char buffer is drained, decode on.
        }
        if (in.hasRemaining()) {
            // The start of a character whose other bytes are in the next chunk.
            ByteBuffer rest = ByteBuffer.allocate(in.remaining());
            rest.put(in).flip();
            pendingBytes = rest;
        } else {
            pendingBytes = ByteBuffer.allocate(0);
        }
    }

    /**
     * The stream ended: an event not yet terminated by a blank line is discarded (the spec's
     * "incomplete event"), and the per-stream state is reset for the next connection.
     */
    public void endOfStream() {
        decoder.reset();
        chars.clear();
        pendingBytes = ByteBuffer.allocate(0);
        line.setLength(0);
        data.setLength(0);
        eventType = "";
        lastEventIdBuffer = lastEventId;
        startOfStream = true;
        lastWasCr = false;
    }

    private void drainChars() {
        chars.flip();
        while (chars.hasRemaining()) {
            char c = chars.get();
            if (startOfStream) {
                startOfStream = false;
                if (c == BOM) {
                    continue;
                }
            }
            if (lastWasCr) {
                lastWasCr = false;
                if (c == '\n') {
                    continue; // the LF of a CRLF pair, whose CR already ended the line
                }
            }
            if (c == '\r') {
                lastWasCr = true;
                endLine();
            } else if (c == '\n') {
                endLine();
            } else {
                line.append(c);
            }
        }
        chars.clear();
    }

    private void endLine() {
        processLine(line);
        line.setLength(0);
    }

    private void processLine(CharSequence text) {
        if (text.length() == 0) {
            dispatch();
            return;
        }
        if (text.charAt(0) == ':') {
            handler.onComment(text.subSequence(1, text.length()).toString());
            return;
        }
        int colon = indexOf(text, ':');
        String field;
        String value;
        if (colon >= 0) {
            field = text.subSequence(0, colon).toString();
            int valueStart = colon + 1;
            if (valueStart < text.length() && text.charAt(valueStart) == ' ') {
                valueStart++;
            }
            value = text.subSequence(valueStart, text.length()).toString();
        } else {
            field = text.toString();
            value = "";
        }
        processField(field, value);
    }

    private void processField(String field, String value) {
        switch (field) {
            case "event":
                eventType = value;
                break;
            case "data":
                data.append(value).append('\n');
                break;
            case "id":
                if (value.indexOf(NUL) < 0) {
                    lastEventIdBuffer = value;
                }
                break;
            case "retry":
                if (isAsciiDigits(value)) {
                    handler.onRetry(parseMillis(value));
                }
                break;
            default:
                // Ignored, as the spec says.
                break;
        }
    }

    private void dispatch() {
        lastEventId = lastEventIdBuffer;
        if (data.length() == 0) {
            eventType = "";
            return;
        }
        data.setLength(data.length() - 1); // the last LF
        String type = eventType.isEmpty() ? "message" : eventType;
        String payload = data.toString();
        data.setLength(0);
        eventType = "";
        handler.onEvent(type, payload, lastEventId);
    }

    private static int indexOf(CharSequence text, char c) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == c) {
                return i;
            }
        }
        return -1;
    }

    private static boolean isAsciiDigits(String value) {
        if (value.isEmpty()) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    /** Digits only; a value too large for a long saturates rather than being dropped. */
    private static long parseMillis(String digits) {
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }
}
