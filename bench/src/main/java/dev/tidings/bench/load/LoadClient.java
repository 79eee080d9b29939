package dev.tidings.bench.load;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;

/**
 * The load generator's event loops and connections: one Vert.x instance with a few event loops,
 * one TCP client per loopback source address (127.0.0.2, 127.0.0.3, …) so that tens of thousands
 * of connections do not exhaust one address's ephemeral ports.
 */
public final class LoadClient implements AutoCloseable {

    private final Vertx vertx;
    private final List<NetClient> clients = new ArrayList<>();

    public LoadClient(int eventLoops, int sourceAddresses) {
        this.vertx = Vertx.vertx(new VertxOptions()
                .setEventLoopPoolSize(eventLoops)
                .setWorkerPoolSize(1)
                .setInternalBlockingPoolSize(1)
                .setBlockedThreadCheckInterval(10)
                .setBlockedThreadCheckIntervalUnit(TimeUnit.SECONDS));
        for (int i = 0; i < sourceAddresses; i++) {
            String address = "127.0.0." + (2 + i);
            clients.add(vertx.createNetClient(new NetClientOptions()
                    .setLocalAddress(address)
                    .setTcpNoDelay(true)
                    .setConnectTimeout((int) SseSubscriber.HEAD_TIMEOUT_MILLIS)));
        }
    }

    public Vertx vertx() {
        return vertx;
    }

    /** Subscriptions, the i-th to the topic of {@code topicOfEach.get(i)}; none is opened yet. */
    public SubscriberGroup subscribers(Endpoint endpoint, DeliveryStats stats, List<TopicLedger> topicOfEach) {
        return new SubscriberGroup(vertx, endpoint, stats, clients, topicOfEach);
    }

    /** A publisher on its own event-loop context. */
    public Publisher publisher(Endpoint endpoint, int connections) {
        return new Publisher(vertx, endpoint, connections, "127.0.0.1");
    }

    @Override
    public void close() {
        clients.forEach(NetClient::close);
        vertx.close().toCompletionStage().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).exceptionally(e -> null).join();
    }
}
