package dev.tidings.bench.sse;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/**
 * Reads an HTTP/1.1 response head incrementally: bytes go in until the blank line that ends it,
 * then the status, the body framing ({@code Transfer-Encoding: chunked}, {@code Content-Length}
 * or until close) and the body's {@code Content-Encoding} are known.
 */
public final class ResponseHead {

    /** A head larger than this is refused: no server under test sends one. */
    static final int MAX_HEAD = 16 * 1024;

    /** Grows as needed up to {@link #MAX_HEAD}; dropped once the head is parsed. */
    private byte[] head = new byte[256];
    private int length;
    private boolean complete;
    private int status = -1;
    private boolean chunked;
    private long contentLength = -1;
    private String version;
    private String contentEncoding;

    /**
     * Consumes bytes of the head from {@code bytes[offset..offset+count)}.
     *
     * @return how many bytes belonged to the head; fewer than {@code count} once it is complete
     *         (the rest is body)
     * @throws IllegalStateException when the head is malformed or too large
     */
    public int feed(byte[] bytes, int offset, int count) {
        if (complete) {
            return 0;
        }
        for (int i = 0; i < count; i++) {
            if (length == head.length) {
                if (length == MAX_HEAD) {
                    throw new IllegalStateException("response head over " + MAX_HEAD + " bytes");
                }
                head = Arrays.copyOf(head, Math.min(MAX_HEAD, length * 2));
            }
            byte b = bytes[offset + i];
            head[length++] = b;
            if (b == '\n' && endsWithBlankLine()) {
                complete = true;
                parse();
                head = null;
                return i + 1;
            }
        }
        return count;
    }

    public boolean isComplete() {
        return complete;
    }

    public int status() {
        return status;
    }

    public boolean isChunked() {
        return chunked;
    }

    /** The declared body length, or -1 when none was given. */
    public long contentLength() {
        return contentLength;
    }

    /** {@code HTTP/1.1} or {@code HTTP/1.0}, from the status line. */
    public String version() {
        return version;
    }

    /** The {@code Content-Encoding} in lower case ({@code gzip}), or null when the body is not encoded. */
    public String contentEncoding() {
        return contentEncoding;
    }

    private boolean endsWithBlankLine() {
        // "\n\n" or "\r\n\r\n" (tolerating a bare LF server)
        if (length >= 2 && head[length - 2] == '\n') {
            return true;
        }
        return length >= 4 && head[length - 2] == '\r' && head[length - 3] == '\n';
    }

    private void parse() {
        String text = new String(head, 0, length, StandardCharsets.ISO_8859_1);
        String[] lines = text.split("\r?\n");
        String statusLine = lines[0];
        if (!statusLine.startsWith("HTTP/1.")) {
            throw new IllegalStateException("not an HTTP/1.x response: " + abbreviate(statusLine));
        }
        int firstSpace = statusLine.indexOf(' ');
        if (firstSpace < 0 || statusLine.length() < firstSpace + 4) {
            throw new IllegalStateException("bad status line: " + abbreviate(statusLine));
        }
        version = statusLine.substring(0, firstSpace);
        try {
            status = Integer.parseInt(statusLine.substring(firstSpace + 1, firstSpace + 4));
        } catch (NumberFormatException e) {
            throw new IllegalStateException("bad status line: " + abbreviate(statusLine));
        }
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i];
            int colon = line.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).trim();
            if (name.equals("transfer-encoding") && value.toLowerCase(Locale.ROOT).contains("chunked")) {
                chunked = true;
            } else if (name.equals("content-encoding") && !value.equalsIgnoreCase("identity")) {
                contentEncoding = value.toLowerCase(Locale.ROOT);
            } else if (name.equals("content-length")) {
                try {
                    contentLength = Long.parseLong(value);
                } catch (NumberFormatException e) {
                    throw new IllegalStateException("bad Content-Length: " + abbreviate(value));
                }
            }
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 80 ? text : text.substring(0, 80) + "…";
    }
}
