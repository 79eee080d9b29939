package dev.tidings.bench.sse;

/**
 * The bytes of one HTTP response carrying an SSE stream, as they arrive on a socket: the head,
 * then the body (chunked, fixed length or until close) scanned for SSE events.
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
    private long bodyRemaining = -1;
    private boolean ended;

    public SseResponse(Handler handler) {
        this.handler = handler;
        this.scanner = new SseScanner(handler);
        this.chunked = new ChunkedDecoder(scanner::feed);
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
            scanner.feed(bytes, i, n);
            bodyRemaining -= n;
            if (bodyRemaining == 0) {
                end();
            }
        } else {
            scanner.feed(bytes, i, end - i);
        }
    }

    private void end() {
        ended = true;
        handler.onBodyEnd();
    }
}
