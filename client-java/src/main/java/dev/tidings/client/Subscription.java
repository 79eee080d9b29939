package dev.tidings.client;

import java.util.Optional;
import java.util.concurrent.CompletionStage;

/** A running subscription of the listener variant. Closing it closes its connection. */
public interface Subscription extends AutoCloseable {

    ConnectionState state();

    /** The id a reconnection resumes from ({@code Last-Event-ID}); empty before the first event. */
    Optional<String> lastEventId();

    /**
     * Completes when the first connection is open (the server answered {@code 200}): from then on
     * every event published on the stream's topics reaches it. Fails if the subscription ends first.
     */
    CompletionStage<Void> opened();

    /** Completes when the subscription ends: normally on {@link #close()}, exceptionally when a fatal error stops it. */
    CompletionStage<Void> done();

    /** Stops for good: closes the connection and cancels any scheduled reconnection. Idempotent. */
    @Override
    void close();
}
