package dev.tidings.server.limits;

import jakarta.inject.Singleton;

import dev.tidings.server.security.Caller;
import io.vertx.core.http.HttpServerRequest;

/** Per-client limits on publishing and on open streams. */
@Singleton
public class ClientLimits {

    /** @throws RateLimitedException when the client has used up its publishes for now */
    public void checkPublish(Caller caller, HttpServerRequest request) {
    }

    /**
     * Counts a stream the client opens; the returned action gives it back when the stream closes.
     *
     * @throws RateLimitedException when the client already holds its maximum of streams
     */
    public Runnable openStream(Caller caller, HttpServerRequest request) {
        return () -> {
        };
    }
}
