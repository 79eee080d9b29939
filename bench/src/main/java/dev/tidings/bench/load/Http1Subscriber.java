package dev.tidings.bench.load;

import java.nio.charset.StandardCharsets;

import dev.tidings.bench.sse.SseResponse;
import io.netty.buffer.ByteBuf;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;

/**
 * A subscription on its own HTTP/1.1 connection, a raw TCP socket: writes the GET itself and
 * scans the response bytes as they arrive, with no thread and almost no allocation of its own.
 * With {@code acceptGzip} it asks for a gzip body and inflates whatever the server compressed.
 */
final class Http1Subscriber extends SseSubscriber implements SseResponse.Handler {

    private final Context context;
    private final NetClient client;
    private final int port;
    private final boolean acceptGzip;
    private volatile NetSocket socket;
    private SseResponse response;

    /**
     * @param context the event-loop context the connection is opened from, and so the loop it reads on
     * @param port which of the endpoint's replicas it subscribes to
     */
    Http1Subscriber(SubscriberGroup group, Context context, NetClient client, int port, TopicLedger ledger,
            boolean acceptGzip) {
        super(group, ledger);
        this.context = context;
        this.client = client;
        this.port = port;
        this.acceptGzip = acceptGzip;
    }

    @Override
    void connect() {
        context.runOnContext(ignored -> open());
    }

    private void open() {
        if (stopped) {
            return;
        }
        attempting();
        Endpoint endpoint = group.endpoint();
        client.connect(port, endpoint.host()).onComplete(result -> {
            if (result.failed()) {
                attemptFailed();
                return;
            }
            NetSocket s = result.result();
            if (stopped) {
                attemptAbandoned();
                s.close();
                return;
            }
            socket = s;
            response = new SseResponse(this);
            s.handler(buffer -> onData(s, buffer));
            s.closeHandler(ignored -> onClose(s));
            s.exceptionHandler(ignored -> {
                // the close handler follows
            });
            s.write(Buffer.buffer(request(endpoint)));
            requestSent(() -> {
                if (socket == s) {
                    s.close();
                }
            });
        });
    }

    private byte[] request(Endpoint endpoint) {
        StringBuilder request = new StringBuilder(180)
                .append("GET ").append(path()).append(" HTTP/1.1\r\n")
                .append("Host: ").append(endpoint.host()).append(':').append(port).append("\r\n")
                .append("Accept: text/event-stream\r\n")
                .append("Cache-Control: no-cache\r\n");
        if (acceptGzip) {
            request.append("Accept-Encoding: gzip\r\n");
        }
        if (lastEventId() != null) {
            request.append("Last-Event-ID: ").append(lastEventId()).append("\r\n");
        }
        return request.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    private void onData(NetSocket s, Buffer buffer) {
        if (socket != s) {
            return;
        }
        ByteBuf bytes = buffer.getByteBuf();
        try {
            if (bytes.hasArray()) {
                response.feed(bytes.array(), bytes.arrayOffset() + bytes.readerIndex(), bytes.readableBytes());
            } else {
                byte[] copy = new byte[bytes.readableBytes()];
                bytes.getBytes(bytes.readerIndex(), copy);
                response.feed(copy, 0, copy.length);
            }
        } catch (IllegalStateException e) {
            group.protocolError(e.getMessage());
            s.close();
        }
    }

    @Override
    public void onHead(int status) {
        if (!headReceived(status, protocol(response.version(), response.contentEncoding()))) {
            socket.close();
        }
    }

    @Override
    public void onBodyEnd() {
        // The server ended the stream: reconnect as an EventSource does.
        NetSocket s = socket;
        if (s != null) {
            s.close();
        }
    }

    private void onClose(NetSocket s) {
        if (socket != s) {
            return;
        }
        socket = null;
        String lastIdSeen = null;
        if (response != null) {
            lastIdSeen = response.lastEventId();
            response.release();
            response = null;
        }
        ended(lastIdSeen);
    }

    @Override
    void stop() {
        stopped = true;
        NetSocket s = socket;
        if (s != null) {
            s.close();
        }
    }
}
