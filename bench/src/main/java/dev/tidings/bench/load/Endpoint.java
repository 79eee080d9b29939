package dev.tidings.bench.load;

import java.util.List;
import java.util.Map;

/**
 * How the load generator talks to one server: where to subscribe and publish, and the publish
 * body. The defaults are the plain pub/sub protocol of the peers: {@code GET /sub/<topic>},
 * {@code POST /pub/<topic>} with the payload as the body.
 */
public interface Endpoint {

    String host();

    int port();

    /**
     * Every replica's HTTP/1.1 port, {@link #port()} first: subscriptions are spread over them and
     * publishes take turns.
     */
    default List<Integer> ports() {
        return List.of(port());
    }

    /** Port that speaks HTTP/2 over plain TCP with prior knowledge (h2c). */
    default int h2cPort() {
        return port();
    }

    /** Request target of an SSE subscription to {@code topic}. */
    default String subscribePath(String topic) {
        return "/sub/" + topic;
    }

    /** Request target of a publish (POST) to {@code topic}. */
    default String publishPath(String topic) {
        return "/pub/" + topic;
    }

    /** Headers every publish sends besides {@code Content-Type}, such as a token. */
    default Map<String, String> publishHeaders() {
        return Map.of();
    }

    /** The POST body that publishes {@code payloadJson} as the event's data. */
    default String publishBody(String payloadJson) {
        return payloadJson;
    }
}
