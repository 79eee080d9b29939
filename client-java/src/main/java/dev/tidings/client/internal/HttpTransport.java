package dev.tidings.client.internal;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodySubscriber;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Streams over {@link HttpClient#sendAsync}: the body is a subscriber that requests one chunk at
 * a time, so no thread waits on any connection and a slow consumer slows the reads.
 */
public final class HttpTransport implements Transport {

    private static final int MAX_ERROR_BODY = 8 * 1024;

    private final HttpClient client;

    public HttpTransport(HttpClient client) {
        this.client = client;
    }

    @Override
    public Connection connect(URI uri, Map<String, String> headers, Listener listener) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).GET();
        headers.forEach(request::header);
        HttpConnection connection = new HttpConnection(listener);
        connection.start(client.sendAsync(request.build(), connection::bodySubscriber));
        return connection;
    }

    private static final class HttpConnection implements Connection {

        private final Listener listener;
        private final AtomicBoolean finished = new AtomicBoolean();
        private volatile CompletableFuture<?> response;
        private volatile Flow.Subscription body;
        private volatile StreamBody streamBody;

        HttpConnection(Listener listener) {
            this.listener = listener;
        }

        void start(CompletableFuture<HttpResponse<Void>> future) {
            response = future;
            future.whenComplete((ignored, failure) -> {
                if (failure != null) {
                    fail(failure);
                }
            });
            if (finished.get()) {
                future.cancel(true);
            }
        }

        BodySubscriber<Void> bodySubscriber(HttpResponse.ResponseInfo info) {
            ResponseHead head = new ResponseHead(info.statusCode(), info.headers().map());
            if (info.statusCode() != 200) {
                return new ErrorBody(head);
            }
            if (!finished.get()) {
                listener.onOpen(head);
            }
            StreamBody stream = new StreamBody();
            streamBody = stream;
            return stream;
        }

        @Override
        public void request() {
            Flow.Subscription subscription = body;
            if (subscription != null && !finished.get()) {
                subscription.request(1);
            }
        }

        @Override
        public void cancel() {
            finished.set(true);
            Flow.Subscription subscription = body;
            if (subscription != null) {
                subscription.cancel();
            }
            StreamBody stream = streamBody;
            if (stream != null) {
                // The HTTP client counts the exchange as pending until its body completes: without
                // this, a cancelled stream would keep the client (and its selector thread) alive.
                stream.done.complete(null);
            }
            CompletableFuture<?> future = response;
            if (future != null) {
                future.cancel(true);
            }
        }

        private void fail(Throwable failure) {
            Throwable cause = unwrap(failure);
            if (cause instanceof CancellationException) {
                return;
            }
            if (finished.compareAndSet(false, true)) {
                listener.onError(cause);
            }
        }

        private static Throwable unwrap(Throwable failure) {
            Throwable cause = failure;
            while ((cause instanceof CompletionException || cause instanceof java.util.concurrent.ExecutionException)
                    && cause.getCause() != null) {
                cause = cause.getCause();
            }
            return cause;
        }

        /** The event stream: one chunk list per request. */
        private final class StreamBody implements BodySubscriber<Void> {

            private final CompletableFuture<Void> done = new CompletableFuture<>();

            @Override
            public CompletionStage<Void> getBody() {
                return done;
            }

            @Override
            public void onSubscribe(Flow.Subscription subscription) {
                body = subscription;
                if (finished.get()) {
                    subscription.cancel();
                } else {
                    subscription.request(1);
                }
            }

            @Override
            public void onNext(List<ByteBuffer> chunks) {
                if (finished.get()) {
                    return;
                }
                ByteBuffer chunk;
                if (chunks.size() == 1) {
                    chunk = chunks.get(0);
                } else {
                    int size = 0;
                    for (ByteBuffer part : chunks) {
                        size += part.remaining();
                    }
                    chunk = ByteBuffer.allocate(size);
                    for (ByteBuffer part : chunks) {
                        chunk.put(part);
                    }
                    chunk.flip();
                }
                listener.onBytes(chunk);
            }

            @Override
            public void onError(Throwable failure) {
                done.complete(null);
                fail(failure);
            }

            @Override
            public void onComplete() {
                done.complete(null);
                if (finished.compareAndSet(false, true)) {
                    listener.onEnd();
                }
            }
        }

        /** Reads the start of a refused answer's body (a problem document), then reports it. */
        private final class ErrorBody implements BodySubscriber<Void> {

            private final ResponseHead head;
            private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            private final CompletableFuture<Void> done = new CompletableFuture<>();
            private Flow.Subscription subscription;

            ErrorBody(ResponseHead head) {
                this.head = head;
            }

            @Override
            public CompletionStage<Void> getBody() {
                return done;
            }

            @Override
            public void onSubscribe(Flow.Subscription subscription) {
                this.subscription = subscription;
                body = subscription;
                subscription.request(Long.MAX_VALUE);
            }

            @Override
            public void onNext(List<ByteBuffer> chunks) {
                for (ByteBuffer chunk : chunks) {
                    byte[] part = new byte[Math.min(chunk.remaining(), MAX_ERROR_BODY - bytes.size())];
                    chunk.get(part);
                    bytes.write(part, 0, part.length);
                }
                if (bytes.size() >= MAX_ERROR_BODY) {
                    subscription.cancel();
                    finish();
                }
            }

            @Override
            public void onError(Throwable failure) {
                finish();
            }

            @Override
            public void onComplete() {
                finish();
            }

            private void finish() {
                if (finished.compareAndSet(false, true)) {
                    listener.onRejected(head, new String(bytes.toByteArray(), StandardCharsets.UTF_8));
                }
                done.complete(null);
            }
        }
    }
}
