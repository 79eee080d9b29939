package dev.tidings.server.api;

import java.time.Duration;
import java.util.function.Supplier;

import jakarta.inject.Singleton;

import dev.tidings.server.hub.TopicFilter;
import dev.tidings.server.limits.ClientLimits;
import dev.tidings.server.security.Access;
import dev.tidings.server.security.Caller;
import dev.tidings.server.security.Subscription;
import dev.tidings.server.sse.OpenStreams;
import dev.tidings.server.sse.SseStream;
import dev.tidings.server.sse.StreamFamily;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

/**
 * Opens a stream for a request once its caller may read what it asks for and holds fewer
 * streams than its limit; the client's stream is given back when the stream closes, however it
 * closes, or at once when opening fails.
 */
@Singleton
public class Subscribing {

    private final Access access;
    private final ClientLimits limits;
    private final OpenStreams streams;

    public Subscribing(Access access, ClientLimits limits, OpenStreams streams) {
        this.access = access;
        this.limits = limits;
        this.streams = streams;
    }

    /** @see OpenStreams#topics */
    public SseStream topics(StreamFamily family, TopicFilter requested, String lastEventId,
            HttpServerRequest request, HttpServerResponse response) {
        Subscription subscription = access.subscribe(request, requested);
        return counted(access.caller(request), request, () -> streams.topics(family, subscription.filter(), lastEventId,
                response, subscription.endsAt()));
    }

    /** @see OpenStreams#timer */
    public SseStream timer(Duration period, long lastSequence, HttpServerRequest request, HttpServerResponse response) {
        Caller caller = access.caller(request);
        return counted(caller, request, () -> streams.timer(period, lastSequence, response, caller.expiresAt()));
    }

    private SseStream counted(Caller caller, HttpServerRequest request, Supplier<SseStream> open) {
        Runnable release = limits.openStream(caller, request);
        try {
            SseStream stream = open.get();
            stream.onClose(release);
            return stream;
        } catch (RuntimeException e) {
            release.run();
            throw e;
        }
    }
}
