package dev.tidings.bench.load;

import dev.tidings.bench.sse.SseScanner;
import io.netty.buffer.ByteBuf;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;

/**
 * A subscription as one HTTP/2 stream, multiplexed with others over the connections of an
 * h2c client (HTTP/2 over plain TCP, prior knowledge). Everything of it runs on the client's
 * event loop, where that client's connections live too.
 */
final class H2cSubscriber extends SseSubscriber {

    private final HttpClient client;
    private final Context context;
    private HttpClientRequest request;
    private SseScanner scanner;

    /**
     * @param context the event-loop context the client's connections were made for: requests
     *        are issued from it, so their streams are read on the connection's own thread
     */
    H2cSubscriber(SubscriberGroup group, HttpClient client, Context context, TopicLedger ledger) {
        super(group, ledger);
        this.client = client;
        this.context = context;
    }

    @Override
    void connect() {
        if (stopped) {
            return;
        }
        attempting();
        context.runOnContext(ignored -> open());
    }

    private void open() {
        if (stopped) {
            attemptAbandoned();
            return;
        }
        Endpoint endpoint = group.endpoint();
        RequestOptions options = new RequestOptions()
                .setMethod(HttpMethod.GET)
                .setHost(endpoint.host())
                .setPort(endpoint.h2cPort())
                .setURI(path())
                .putHeader("accept", "text/event-stream")
                .putHeader("cache-control", "no-cache");
        if (lastEventId() != null) {
            options.putHeader("last-event-id", lastEventId());
        }
        client.request(options).onComplete(created -> {
            if (created.failed()) {
                attemptFailed();
                return;
            }
            HttpClientRequest req = created.result();
            if (stopped) {
                attemptAbandoned();
                req.reset();
                return;
            }
            request = req;
            scanner = new SseScanner(this);
            req.send().onComplete(answered -> {
                if (answered.failed()) {
                    streamEnded(req);
                    return;
                }
                HttpClientResponse response = answered.result();
                String encoding = response.getHeader("content-encoding");
                if (!headReceived(response.statusCode(), protocol(version(response), encoding))) {
                    cancel(req);
                    return;
                }
                response.handler(buffer -> onData(req, buffer));
                response.endHandler(ignored -> streamEnded(req));
                response.exceptionHandler(ignored -> streamEnded(req));
            });
            requestSent(() -> cancel(req));
        });
    }

    private static String version(HttpClientResponse response) {
        return switch (response.version()) {
            case HTTP_2 -> "HTTP/2";
            case HTTP_1_1 -> "HTTP/1.1";
            case HTTP_1_0 -> "HTTP/1.0";
        };
    }

    private void onData(HttpClientRequest req, Buffer buffer) {
        if (request != req) {
            return;
        }
        ByteBuf bytes = buffer.getByteBuf();
        try {
            if (bytes.hasArray()) {
                scanner.feed(bytes.array(), bytes.arrayOffset() + bytes.readerIndex(), bytes.readableBytes());
            } else {
                byte[] copy = new byte[bytes.readableBytes()];
                bytes.getBytes(bytes.readerIndex(), copy);
                scanner.feed(copy, 0, copy.length);
            }
        } catch (IllegalStateException e) {
            group.protocolError(e.getMessage());
            cancel(req);
        }
    }

    /** Resets the stream (the connection stays for the others) and counts it ended. */
    private void cancel(HttpClientRequest req) {
        if (request == req) {
            req.reset();
            streamEnded(req);
        }
    }

    private void streamEnded(HttpClientRequest req) {
        if (request != req) {
            return;
        }
        request = null;
        String lastIdSeen = scanner.lastEventId();
        scanner = null;
        ended(lastIdSeen);
    }

    @Override
    void stop() {
        stopped = true;
        context.runOnContext(ignored -> {
            HttpClientRequest req = request;
            if (req != null) {
                cancel(req);
            }
        });
    }
}
