package dev.tidings.server.sse;

import java.util.concurrent.Flow;

import jakarta.ws.rs.sse.OutboundSseEvent;

import io.vertx.core.http.HttpServerResponse;

/**
 * Writes a stream's frames to a Vert.x response as their shared encoded bytes, through the public
 * response API, so HTTP/1.1, HTTP/2 and compression all take the same path. It asks for the next
 * frame only while the connection takes more, and again when it drains: a stream is paced by its
 * reader.
 */
final class ResponseWriter implements Flow.Subscriber<OutboundSseEvent> {

    private final HttpServerResponse response;
    private Flow.Subscription subscription;

    ResponseWriter(HttpServerResponse response, long maxBufferedBytes) {
        this.response = response;
        response.setStatusCode(200)
                .setChunked(true)
                .putHeader("Content-Type", "text/event-stream")
                .setWriteQueueMaxSize((int) Math.min(Integer.MAX_VALUE, maxBufferedBytes));
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
        this.subscription = subscription;
        response.closeHandler(ignored -> subscription.cancel());
        response.drainHandler(ignored -> subscription.request(1));
        subscription.request(1);
    }

    @Override
    public void onNext(OutboundSseEvent frame) {
        response.write(((SseFrame) frame).bytes(), null);
        if (!response.writeQueueFull()) {
            subscription.request(1);
        }
    }

    @Override
    public void onComplete() {
        response.end();
    }

    @Override
    public void onError(Throwable failure) {
        response.reset();
    }
}
