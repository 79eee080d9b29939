package dev.tidings.bench.sse;

import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Inflates a gzip body (RFC 1952) incrementally, as its bytes arrive: each event a server
 * flushes through its compressor comes out as soon as its bytes are in, with no wait for the
 * end of the stream. The member header is read here; the deflate data goes to a raw
 * {@link Inflater}. What follows the end of the deflate data (the CRC and size trailer) is
 * ignored: an event stream that ends has nothing more to deliver.
 *
 * <p>Holds native memory until {@link #close()}.
 */
public final class GzipInflater implements ChunkedDecoder.Sink, AutoCloseable {

    private static final int FIXED_HEADER = 10;
    private static final int FHCRC = 2;
    private static final int FEXTRA = 4;
    private static final int FNAME = 8;
    private static final int FCOMMENT = 16;

    private enum State { FIXED, EXTRA_LENGTH, EXTRA, NAME, COMMENT, HEADER_CRC, DEFLATE, DONE }

    private final ChunkedDecoder.Sink sink;
    private final Inflater inflater = new Inflater(true);
    private final byte[] out = new byte[8192];
    private State state = State.FIXED;
    private final byte[] fixed = new byte[FIXED_HEADER];
    private int flags;
    /** Bytes read of the current header part, or still to skip in it. */
    private int count;
    private int extraLength;

    public GzipInflater(ChunkedDecoder.Sink sink) {
        this.sink = sink;
    }

    /**
     * @throws IllegalStateException when the bytes are not gzip or the deflate data is corrupt
     */
    @Override
    public void accept(byte[] bytes, int offset, int length) {
        int i = offset;
        int end = offset + length;
        while (i < end && state != State.DEFLATE && state != State.DONE) {
            i = header(bytes, i, end);
        }
        if (i < end && state == State.DEFLATE) {
            inflate(bytes, i, end - i);
        }
    }

    /** Reads header bytes from {@code i}; returns where it stopped. */
    private int header(byte[] bytes, int i, int end) {
        switch (state) {
            case FIXED -> {
                int n = Math.min(FIXED_HEADER - count, end - i);
                System.arraycopy(bytes, i, fixed, count, n);
                count += n;
                i += n;
                if (count == FIXED_HEADER) {
                    if ((fixed[0] & 0xff) != 0x1f || (fixed[1] & 0xff) != 0x8b || fixed[2] != 8) {
                        throw new IllegalStateException("not a gzip body");
                    }
                    flags = fixed[3] & 0xff;
                    count = 0;
                    state = (flags & FEXTRA) != 0 ? State.EXTRA_LENGTH : afterExtra();
                }
            }
            case EXTRA_LENGTH -> {
                extraLength |= (bytes[i++] & 0xff) << (8 * count);
                if (++count == 2) {
                    count = extraLength;
                    state = State.EXTRA;
                }
            }
            case EXTRA -> {
                int n = Math.min(count, end - i);
                i += n;
                count -= n;
                if (count == 0) {
                    state = afterExtra();
                }
            }
            case NAME -> {
                if (bytes[i++] == 0) {
                    state = (flags & FCOMMENT) != 0 ? State.COMMENT : afterComment();
                }
            }
            case COMMENT -> {
                if (bytes[i++] == 0) {
                    state = afterComment();
                }
            }
            case HEADER_CRC -> {
                i++;
                if (++count == 2) {
                    state = State.DEFLATE;
                }
            }
            default -> throw new IllegalStateException(state.name());
        }
        return i;
    }

    private State afterExtra() {
        if ((flags & FNAME) != 0) {
            return State.NAME;
        }
        return (flags & FCOMMENT) != 0 ? State.COMMENT : afterComment();
    }

    private State afterComment() {
        count = 0;
        return (flags & FHCRC) != 0 ? State.HEADER_CRC : State.DEFLATE;
    }

    private void inflate(byte[] bytes, int offset, int length) {
        inflater.setInput(bytes, offset, length);
        try {
            while (!inflater.needsInput() && !inflater.finished()) {
                int n = inflater.inflate(out);
                if (n > 0) {
                    sink.accept(out, 0, n);
                } else if (inflater.needsDictionary()) {
                    throw new IllegalStateException("gzip data asks for a preset dictionary");
                }
            }
        } catch (DataFormatException e) {
            throw new IllegalStateException("corrupt gzip data: " + e.getMessage());
        }
        if (inflater.finished()) {
            state = State.DONE;
        }
    }

    @Override
    public void close() {
        inflater.end();
    }
}
