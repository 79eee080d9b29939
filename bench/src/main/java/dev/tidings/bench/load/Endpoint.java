package dev.tidings.bench.load;

/** How the load generator talks to one server: where to subscribe and publish, and the publish body. */
public interface Endpoint {

    String host();

    int port();

    /** Request target of an SSE subscription to {@code topic}. */
    String subscribePath(String topic);

    /** Request target of a publish (POST) to {@code topic}. */
    String publishPath(String topic);

    /** The POST body that publishes {@code payloadJson} as the event's data. */
    String publishBody(String payloadJson);
}
