package dev.tidings.client;

import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.tidings.client.internal.Transport;

/** A transport the test answers by hand: each connect is recorded and can be opened, fed, ended or refused. */
final class FakeTransport implements Transport {

    final List<FakeConnection> connections = new ArrayList<>();

    @Override
    public synchronized Connection connect(URI uri, Map<String, String> headers, Listener listener) {
        FakeConnection connection = new FakeConnection(uri, Map.copyOf(headers), listener);
        connections.add(connection);
        return connection;
    }

    synchronized FakeConnection last() {
        return connections.get(connections.size() - 1);
    }

    synchronized int count() {
        return connections.size();
    }

    static final class FakeConnection implements Connection {
        final URI uri;
        final Map<String, String> headers;
        final Listener listener;
        int requested;
        boolean cancelled;

        FakeConnection(URI uri, Map<String, String> headers, Listener listener) {
            this.uri = uri;
            this.headers = headers;
            this.listener = listener;
        }

        @Override
        public synchronized void request() {
            requested++;
        }

        @Override
        public synchronized void cancel() {
            cancelled = true;
        }

        FakeConnection open() {
            listener.onOpen(new ResponseHead(200, Map.of("content-type", List.of("text/event-stream"))));
            return this;
        }

        FakeConnection send(String text) {
            listener.onBytes(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
            return this;
        }

        void end() {
            listener.onEnd();
        }

        void refuse(int status, Map<String, List<String>> headers, String body) {
            listener.onRejected(new ResponseHead(status, headers), body);
        }

        void refuse(int status) {
            refuse(status, Map.of(), "");
        }

        void fail(Throwable error) {
            listener.onError(error);
        }
    }
}
