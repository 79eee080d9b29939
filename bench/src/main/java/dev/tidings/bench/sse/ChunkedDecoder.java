package dev.tidings.bench.sse;

/**
 * Decodes an HTTP/1.1 chunked body incrementally, handing the payload bytes to a sink without
 * copying them. Chunk extensions and trailers are skipped.
 */
public final class ChunkedDecoder {

    /** Receives slices of the decoded payload. */
    public interface Sink {
        void accept(byte[] bytes, int offset, int count);
    }

    private enum State { SIZE, EXTENSION, SIZE_LF, DATA, DATA_CR, DATA_LF, TRAILER_START, TRAILER_LINE, DONE }

    private static final long MAX_CHUNK = 1L << 40;

    private final Sink sink;
    private State state = State.SIZE;
    private long remaining;
    private int sizeDigits;

    public ChunkedDecoder(Sink sink) {
        this.sink = sink;
    }

    /** True once the terminating zero-size chunk and its trailers were read. */
    public boolean isDone() {
        return state == State.DONE;
    }

    /**
     * @return bytes consumed; less than {@code count} only when the body ended inside the slice
     * @throws IllegalStateException on malformed framing
     */
    public int feed(byte[] bytes, int offset, int count) {
        int i = offset;
        int end = offset + count;
        while (i < end) {
            switch (state) {
                case SIZE -> {
                    byte b = bytes[i++];
                    int digit = hex(b);
                    if (digit >= 0) {
                        remaining = remaining * 16 + digit;
                        if (++sizeDigits > 16 || remaining > MAX_CHUNK) {
                            throw new IllegalStateException("chunk size too large");
                        }
                    } else if (sizeDigits == 0) {
                        throw new IllegalStateException("chunk size expected, got byte " + (b & 0xff));
                    } else if (b == ';' || b == ' ' || b == '\t') {
                        state = State.EXTENSION;
                    } else if (b == '\r') {
                        state = State.SIZE_LF;
                    } else if (b == '\n') {
                        sizeDone();
                    } else {
                        throw new IllegalStateException("bad byte in chunk size: " + (b & 0xff));
                    }
                }
                case EXTENSION -> {
                    byte b = bytes[i++];
                    if (b == '\r') {
                        state = State.SIZE_LF;
                    } else if (b == '\n') {
                        sizeDone();
                    }
                }
                case SIZE_LF -> {
                    if (bytes[i++] != '\n') {
                        throw new IllegalStateException("LF expected after chunk size");
                    }
                    sizeDone();
                }
                case DATA -> {
                    int n = (int) Math.min(remaining, end - i);
                    sink.accept(bytes, i, n);
                    i += n;
                    remaining -= n;
                    if (remaining == 0) {
                        state = State.DATA_CR;
                    }
                }
                case DATA_CR -> {
                    byte b = bytes[i++];
                    if (b == '\r') {
                        state = State.DATA_LF;
                    } else if (b == '\n') {
                        state = State.SIZE;
                    } else {
                        throw new IllegalStateException("CRLF expected after chunk data");
                    }
                }
                case DATA_LF -> {
                    if (bytes[i++] != '\n') {
                        throw new IllegalStateException("LF expected after chunk data");
                    }
                    state = State.SIZE;
                }
                case TRAILER_START -> {
                    byte b = bytes[i++];
                    if (b == '\n') {
                        state = State.DONE;
                        return i - offset;
                    } else if (b != '\r') {
                        state = State.TRAILER_LINE;
                    }
                }
                case TRAILER_LINE -> {
                    if (bytes[i++] == '\n') {
                        state = State.TRAILER_START;
                    }
                }
                case DONE -> {
                    return i - offset;
                }
            }
        }
        return i - offset;
    }

    private void sizeDone() {
        sizeDigits = 0;
        if (remaining == 0) {
            state = State.TRAILER_START;
        } else {
            state = State.DATA;
        }
    }

    private static int hex(byte b) {
        if (b >= '0' && b <= '9') {
            return b - '0';
        }
        if (b >= 'a' && b <= 'f') {
            return b - 'a' + 10;
        }
        if (b >= 'A' && b <= 'F') {
            return b - 'A' + 10;
        }
        return -1;
    }
}
