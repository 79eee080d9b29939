package dev.tidings.client.internal;

import java.net.URI;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Opens one streaming HTTP GET and reports what happens on it. */
public interface Transport {

    /**
     * Starts a request. Each connection reports exactly one of {@link Listener#onRejected},
     * {@link Listener#onEnd} or {@link Listener#onError}, unless it is cancelled first; after
     * {@link Listener#onOpen} it delivers body chunks one at a time, each after a
     * {@link Connection#request()}.
     */
    Connection connect(URI uri, Map<String, String> headers, Listener listener);

    interface Connection {

        /** Asks for the next body chunk. */
        void request();

        /** Aborts the request or closes the connection; nothing is reported afterwards. */
        void cancel();
    }

    interface Listener {

        /** A 200 answer; the body follows once requested. */
        void onOpen(ResponseHead head);

        void onBytes(ByteBuffer chunk);

        /** The body ended normally. */
        void onEnd();

        /** A non-200 answer, with the start of its body. */
        void onRejected(ResponseHead head, String body);

        /** The connection could not be made or broke. */
        void onError(Throwable error);
    }

    /** Status and headers of a response. */
    final class ResponseHead {
        private final int status;
        private final Map<String, List<String>> headers;

        public ResponseHead(int status, Map<String, List<String>> headers) {
            this.status = status;
            this.headers = headers;
        }

        public int status() {
            return status;
        }

        /** First value of a header, case-insensitively. */
        public Optional<String> header(String name) {
            for (Map.Entry<String, List<String>> entry : headers.entrySet()) {
                if (entry.getKey().equalsIgnoreCase(name) && !entry.getValue().isEmpty()) {
                    return Optional.of(entry.getValue().get(0));
                }
            }
            return Optional.empty();
        }
    }
}
