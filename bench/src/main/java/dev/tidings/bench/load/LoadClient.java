package dev.tidings.bench.load;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.vertx.core.AbstractVerticle;
import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;

/**
 * The load generator's event loops and connections: one Vert.x instance with a few event loops,
 * one TCP client per loopback source address (127.0.0.2, 127.0.0.3, …) so that tens of thousands
 * of connections do not exhaust one address's ephemeral ports. Subscriptions and publishers take
 * the event loops in turn.
 */
public final class LoadClient implements AutoCloseable {

    /** HTTP/2 connection-level receive window: never what holds a hundred streams back. */
    private static final int H2_CONNECTION_WINDOW = 4 << 20;

    private final Vertx vertx;
    private final int eventLoops;
    /** A context on each event loop, in no particular order. */
    private final List<Context> loops;
    private final List<NetClient> clients = new ArrayList<>();
    private int publishers;

    public LoadClient(int eventLoops, int sourceAddresses) {
        this.eventLoops = eventLoops;
        this.vertx = Vertx.vertx(new VertxOptions()
                .setEventLoopPoolSize(eventLoops)
                .setWorkerPoolSize(1)
                .setInternalBlockingPoolSize(1)
                .setBlockedThreadCheckInterval(10)
                .setBlockedThreadCheckIntervalUnit(TimeUnit.SECONDS));
        this.loops = contextPerLoop(vertx, eventLoops);
        for (int i = 0; i < sourceAddresses; i++) {
            clients.add(vertx.createNetClient(new NetClientOptions()
                    .setLocalAddress(sourceAddress(i))
                    .setTcpNoDelay(true)
                    .setConnectTimeout((int) SseSubscriber.HEAD_TIMEOUT_MILLIS)));
        }
    }

    /**
     * One context on each event loop. Whatever a thread of ours opens lands on a single loop (Vert.x
     * gives a thread outside its loops one sticky context), so connections are opened from these;
     * verticle instances deployed together take the loops in turn.
     */
    private static List<Context> contextPerLoop(Vertx vertx, int eventLoops) {
        List<Context> contexts = new CopyOnWriteArrayList<>();
        vertx.deployVerticle(() -> new AbstractVerticle() {
            @Override
            public void start() {
                contexts.add(context);
            }
        }, new DeploymentOptions().setInstances(eventLoops))
                .toCompletionStage().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).join();
        return List.copyOf(contexts);
    }

    private static String sourceAddress(int i) {
        return "127.0.0." + (2 + i);
    }

    public Vertx vertx() {
        return vertx;
    }

    /**
     * HTTP/1.1 subscriptions, the i-th to the topic of {@code topicOfEach.get(i)}, spread over the
     * endpoint's replicas so that each replica has a share of every source address; none is opened yet.
     */
    public SubscriberGroup subscribers(Endpoint endpoint, DeliveryStats stats, List<TopicLedger> topicOfEach) {
        return http1(endpoint, stats, topicOfEach, false);
    }

    /** HTTP/1.1 subscriptions that send {@code Accept-Encoding: gzip} and inflate what comes compressed. */
    public SubscriberGroup gzipSubscribers(Endpoint endpoint, DeliveryStats stats, List<TopicLedger> topicOfEach) {
        return http1(endpoint, stats, topicOfEach, true);
    }

    private SubscriberGroup http1(Endpoint endpoint, DeliveryStats stats, List<TopicLedger> topicOfEach,
            boolean acceptGzip) {
        SubscriberGroup group = new SubscriberGroup(vertx, endpoint, stats);
        List<Integer> ports = endpoint.ports();
        return group.add(topicOfEach, (i, ledger) -> new Http1Subscriber(group, loops.get(i % loops.size()),
                clients.get(i % clients.size()), ports.get(i / clients.size() % ports.size()), ledger, acceptGzip));
    }

    /**
     * h2c subscriptions, {@code streamsPerConnection} to a connection: one HTTP/2 client per event
     * loop, each with as many connections as its share of the streams needs. The connections
     * and their streams close with the group.
     */
    public SubscriberGroup h2cSubscribers(Endpoint endpoint, DeliveryStats stats, List<TopicLedger> topicOfEach,
            int streamsPerConnection) {
        int n = topicOfEach.size();
        int clientCount = Math.max(1, Math.min(eventLoops, connectionsFor(n, streamsPerConnection)));
        SubscriberGroup group = new SubscriberGroup(vertx, endpoint, stats);
        List<HttpClient> h2 = new ArrayList<>();
        List<Context> contexts = new ArrayList<>();
        for (int c = 0; c < clientCount; c++) {
            int streams = n / clientCount + (c < n % clientCount ? 1 : 0);
            contexts.add(loops.get(c % loops.size()));
            h2.add(vertx.httpClientBuilder()
                    .with(new HttpClientOptions()
                            .setProtocolVersion(HttpVersion.HTTP_2)
                            .setHttp2ClearTextUpgrade(false)
                            .setHttp2MultiplexingLimit(streamsPerConnection)
                            .setHttp2ConnectionWindowSize(H2_CONNECTION_WINDOW)
                            .setTcpNoDelay(true)
                            .setLocalAddress(sourceAddress(c % Math.max(1, clients.size())))
                            .setConnectTimeout((int) SseSubscriber.HEAD_TIMEOUT_MILLIS))
                    .with(new PoolOptions().setHttp2MaxSize(Math.max(1, connectionsFor(streams, streamsPerConnection))))
                    .withConnectHandler(connection -> group.connectionOpened())
                    .build());
        }
        group.onClose(() -> h2.forEach(HttpClient::close));
        return group.add(topicOfEach, (i, ledger) ->
                new H2cSubscriber(group, h2.get(i % clientCount), contexts.get(i % clientCount), ledger));
    }

    private static int connectionsFor(int streams, int streamsPerConnection) {
        return (streams + streamsPerConnection - 1) / streamsPerConnection;
    }

    /** A publisher on the next event loop in turn. */
    public Publisher publisher(Endpoint endpoint, int connections) {
        return new Publisher(vertx, loops.get(publishers++ % loops.size()), endpoint, connections, "127.0.0.1");
    }

    @Override
    public void close() {
        clients.forEach(NetClient::close);
        vertx.close().toCompletionStage().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).exceptionally(e -> null).join();
    }
}
