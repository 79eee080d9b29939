package dev.tidings.server.support;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Decodes a gzip body piece by piece as it arrives, giving out every byte the compressed bytes
 * received so far can produce: a server that flushes its compressor after each frame lets each
 * frame through at once, one that does not holds it back, and a test sees the difference.
 */
final class GzipStreamDecoder {

    private static final int FHCRC = 2;
    private static final int FEXTRA = 4;
    private static final int FNAME = 8;
    private static final int FCOMMENT = 16;

    private final Inflater inflater = new Inflater(true);
    private final ByteArrayOutputStream header = new ByteArrayOutputStream();
    private boolean inBody;

    /** The decompressed bytes that {@code compressed} completes. */
    byte[] decode(byte[] compressed) {
        byte[] input = compressed;
        if (!inBody) {
            header.writeBytes(compressed);
            byte[] received = header.toByteArray();
            int length = headerLength(received);
            if (length < 0) {
                return new byte[0];
            }
            inBody = true;
            input = Arrays.copyOfRange(received, length, received.length);
        }
        if (inflater.finished()) {
            return new byte[0]; // the 8-byte trailer
        }
        inflater.setInput(input);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] chunk = new byte[16 * 1024];
        try {
            int n;
            while ((n = inflater.inflate(chunk)) > 0) {
                out.write(chunk, 0, n);
            }
        } catch (DataFormatException e) {
            throw new IllegalStateException("Not a valid deflate stream in the gzip body", e);
        }
        return out.toByteArray();
    }

    /** The gzip member header's length (RFC 1952), or -1 while it has not all arrived. */
    private static int headerLength(byte[] b) {
        if (b.length < 10) {
            return -1;
        }
        if ((b[0] & 0xff) != 0x1f || (b[1] & 0xff) != 0x8b || b[2] != 8) {
            throw new IllegalStateException("Content-Encoding is gzip but the body is not gzip");
        }
        int flags = b[3];
        int pos = 10;
        if ((flags & FEXTRA) != 0) {
            if (b.length < pos + 2) {
                return -1;
            }
            pos += 2 + ((b[pos] & 0xff) | (b[pos + 1] & 0xff) << 8);
        }
        for (int zeroTerminated : new int[] { FNAME, FCOMMENT }) {
            if ((flags & zeroTerminated) != 0) {
                while (pos < b.length && b[pos] != 0) {
                    pos++;
                }
                pos++;
            }
        }
        if ((flags & FHCRC) != 0) {
            pos += 2;
        }
        return pos <= b.length ? pos : -1;
    }
}
