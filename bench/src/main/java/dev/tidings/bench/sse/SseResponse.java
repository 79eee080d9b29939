package dev.tidings.bench.sse;

/**
 * The bytes of one HTTP response carrying an SSE stream, as they arrive on a socket: the head,
 * then the body (chunked, fixed length or until close), inflated when it is gzip, scanned for SSE
 * events. {@link #release()} frees what an inflater holds.
 */
public final class SseResponse {

    /** What the response carries; the SSE callbacks come only after a head with status 200. */
    public interface Handler extends SseScanner.Listener {
        /** The head is complete. */
        void onHead(int status);

        /** The body ended while the connection stays open (the server ended the stream). */
        default void onBodyEnd() {
        }
    }

    private final Handler handler;
    private final ResponseHead head = new ResponseHead();
    private final SseScanner scanner;
    private final ChunkedDecoder chunked;
    /** Set when the body is gzip. */
    private GzipInflater inflater;
    private long bodyRemaining = -1;
    private boolean ended;

    public SseResponse(Handler handler) {
        this.handler = handler;
        this.scanner = new SseScanner(handler);
        this.chunked = new ChunkedDecoder(this::body);
    }

    public String lastEventId() {
        return scanner.lastEventId();
    }

    public boolean headComplete() {
        return head.isComplete();
    }

    public int status() {
        return head.status();
    }

    /** The response's {@code Content-Encoding} ({@code gzip}), or null when its body is not encoded. */
    public String contentEncoding() {
        return head.contentEncoding();
    }

    public String version() {
        return head.version();
    }

    public boolean isEnded() {
        return ended;
    }

    public void feed(byte[] bytes, int offset, int count) {
        if (ended) {
            return;
        }
        int i = offset;
        int end = offset + count;
        if (!head.isComplete()) {
            i += head.feed(bytes, i, end - i);
            if (!head.isComplete()) {
                return;
            }
            bodyRemaining = head.isChunked() ? -1 : head.contentLength();
            if (head.status() == 200) {
                decodeContent(head.contentEncoding());
            }
            handler.onHead(head.status());
            if (head.status() != 200) {
                return;
            }
            if (bodyRemaining == 0) {
                end();
                return;
            }
        }
        if (i == end || head.status() != 200) {
            return;
        }
        if (head.isChunked()) {
            chunked.feed(bytes, i, end - i);
            if (chunked.isDone()) {
                end();
            }
        } else if (bodyRemaining >= 0) {
            int n = (int) Math.min(bodyRemaining, end - i);
            body(bytes, i, n);
            bodyRemaining -= n;
            if (bodyRemaining == 0) {
                end();
            }
        } else {
            body(bytes, i, end - i);
        }
    }

    /** Frees the inflater's native memory; call once the connection is done with. */
    public void release() {
        if (inflater != null) {
            inflater.close();
        }
    }

    private void decodeContent(String encoding) {
        if (encoding == null) {
            return;
        }
        if (!encoding.equals("gzip")) {
            throw new IllegalStateException("unsupported Content-Encoding: " + encoding);
        }
        inflater = new GzipInflater(scanner::feed);
    }

    private void body(byte[] bytes, int offset, int count) {
        if (inflater != null) {
            inflater.accept(bytes, offset, count);
        } else {
            scanner.feed(bytes, offset, count);
        }
    }

    private void end() {
        ended = true;
        handler.onBodyEnd();
    }
}
