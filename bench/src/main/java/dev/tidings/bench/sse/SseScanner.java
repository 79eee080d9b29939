package dev.tidings.bench.sse;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Scans an SSE stream incrementally, following the WHATWG EventSource rules: lines end at CR, LF
 * or CRLF (also split across reads), a leading BOM is skipped, one space after the colon is
 * dropped, {@code data} lines join with LF, {@code id} sets the last event id (unless it holds
 * NUL), {@code retry} takes digits only, and a blank line dispatches the event when it has data.
 *
 * <p>Built for many connections and high rates: no allocation per event except the type when it
 * is not {@code message}, and the event data is handed over in the scanner's own buffer.
 */
public final class SseScanner {

    /** Receives what the stream carries; the data array is valid only during the call. */
    public interface Listener {
        void onEvent(byte[] data, int length, String type);

        default void onComment() {
        }

        default void onRetry(long millis) {
        }
    }

    public static final String DEFAULT_TYPE = "message";
    private static final byte[] MESSAGE = DEFAULT_TYPE.getBytes(StandardCharsets.US_ASCII);
    private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
    /** A longer line is refused: no server under test sends one. */
    static final int MAX_LINE = 1 << 20;

    private final Listener listener;
    private byte[] line = new byte[256];
    private int lineLength;
    private byte[] data = new byte[256];
    private int dataLength;
    private boolean hasData;
    private byte[] type = new byte[16];
    private int typeLength;
    private byte[] idBuffer = new byte[32];
    private int idBufferLength;
    private boolean hasIdBuffer;
    private byte[] lastId = new byte[32];
    private int lastIdLength;
    private boolean hasLastId;
    private boolean afterCr;
    private int bomMatched;
    private boolean bomDone;

    public SseScanner(Listener listener) {
        this.listener = listener;
    }

    /** The last event id dispatched, or null when the stream has set none. */
    public String lastEventId() {
        return hasLastId ? new String(lastId, 0, lastIdLength, StandardCharsets.UTF_8) : null;
    }

    public void feed(byte[] bytes, int offset, int count) {
        int end = offset + count;
        int i = offset;
        if (!bomDone) {
            while (i < end && bomMatched < BOM.length && bytes[i] == BOM[bomMatched]) {
                bomMatched++;
                i++;
            }
            if (i == end && bomMatched < BOM.length && bomMatched > 0) {
                return; // a BOM may go on in the next read
            }
            if (bomMatched < BOM.length && bomMatched > 0) {
                // Not a BOM after all: those bytes belong to the first line.
                append(BOM, 0, bomMatched);
            }
            bomDone = true;
        }
        while (i < end) {
            if (afterCr) {
                afterCr = false;
                if (bytes[i] == '\n') {
                    i++; // the LF of a CRLF
                    continue;
                }
            }
            // The rest of the line is copied at once: per byte, only the search for its end.
            int lineEnd = i;
            while (lineEnd < end && bytes[lineEnd] != '\n' && bytes[lineEnd] != '\r') {
                lineEnd++;
            }
            append(bytes, i, lineEnd - i);
            if (lineEnd == end) {
                return; // the line goes on in the next read
            }
            afterCr = bytes[lineEnd] == '\r';
            endOfLine();
            i = lineEnd + 1;
        }
    }

    private void append(byte[] bytes, int offset, int count) {
        if (lineLength + count > line.length) {
            if (lineLength + count > MAX_LINE) {
                throw new IllegalStateException("SSE line over " + MAX_LINE + " bytes");
            }
            line = Arrays.copyOf(line, Math.min(MAX_LINE, Math.max(lineLength + count, line.length * 2)));
        }
        System.arraycopy(bytes, offset, line, lineLength, count);
        lineLength += count;
    }

    private void endOfLine() {
        int length = lineLength;
        lineLength = 0;
        if (length == 0) {
            dispatch();
            return;
        }
        if (line[0] == ':') {
            listener.onComment();
            return;
        }
        int colon = indexOf(line, length, (byte) ':');
        int nameEnd = colon < 0 ? length : colon;
        int valueStart = colon < 0 ? length : colon + 1;
        if (valueStart < length && line[valueStart] == ' ') {
            valueStart++;
        }
        int valueLength = length - valueStart;
        if (is("data", nameEnd)) {
            ensureData(dataLength + valueLength + 1);
            System.arraycopy(line, valueStart, data, dataLength, valueLength);
            dataLength += valueLength;
            data[dataLength++] = '\n';
            hasData = true;
        } else if (is("event", nameEnd)) {
            if (type.length < valueLength) {
                type = new byte[valueLength];
            }
            System.arraycopy(line, valueStart, type, 0, valueLength);
            typeLength = valueLength;
        } else if (is("id", nameEnd)) {
            if (indexOf(line, valueStart, length, (byte) 0) < 0) {
                if (idBuffer.length < valueLength) {
                    idBuffer = new byte[valueLength];
                }
                System.arraycopy(line, valueStart, idBuffer, 0, valueLength);
                idBufferLength = valueLength;
                hasIdBuffer = true;
            }
        } else if (is("retry", nameEnd)) {
            long retry = digits(valueStart, length);
            if (retry >= 0) {
                listener.onRetry(retry);
            }
        }
    }

    private void dispatch() {
        if (hasIdBuffer) {
            // The last event id is set by the blank line, whether or not the event has data.
            if (lastId.length < idBufferLength) {
                lastId = new byte[idBufferLength];
            }
            System.arraycopy(idBuffer, 0, lastId, 0, idBufferLength);
            lastIdLength = idBufferLength;
            hasLastId = true;
            hasIdBuffer = false;
        }
        if (!hasData) {
            typeLength = 0;
            return;
        }
        String eventType = typeLength == 0 || equals(type, typeLength, MESSAGE)
                ? DEFAULT_TYPE
                : new String(type, 0, typeLength, StandardCharsets.UTF_8);
        int length = dataLength - 1; // without the last LF
        dataLength = 0;
        hasData = false;
        typeLength = 0;
        listener.onEvent(data, length, eventType);
    }

    private void ensureData(int capacity) {
        if (capacity > data.length) {
            data = Arrays.copyOf(data, Math.max(capacity, data.length * 2));
        }
    }

    private boolean is(String name, int nameLength) {
        if (nameLength != name.length()) {
            return false;
        }
        for (int k = 0; k < nameLength; k++) {
            if (line[k] != name.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    private long digits(int from, int to) {
        if (from == to || to - from > 18) {
            return -1;
        }
        long value = 0;
        for (int k = from; k < to; k++) {
            byte b = line[k];
            if (b < '0' || b > '9') {
                return -1;
            }
            value = value * 10 + (b - '0');
        }
        return value;
    }

    private static boolean equals(byte[] a, int length, byte[] b) {
        return length == b.length && Arrays.equals(a, 0, length, b, 0, length);
    }

    private static int indexOf(byte[] bytes, int length, byte wanted) {
        return indexOf(bytes, 0, length, wanted);
    }

    private static int indexOf(byte[] bytes, int from, int to, byte wanted) {
        for (int k = from; k < to; k++) {
            if (bytes[k] == wanted) {
                return k;
            }
        }
        return -1;
    }
}
