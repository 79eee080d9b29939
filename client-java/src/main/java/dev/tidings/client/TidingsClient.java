package dev.tidings.client;

import java.lang.reflect.Method;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Flow;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.tidings.client.internal.HttpTransport;
import dev.tidings.client.internal.NamedThreadFactory;
import dev.tidings.client.internal.SystemScheduler;
import dev.tidings.client.internal.Transport;
import io.smallrye.mutiny.Multi;

/**
 * The Tidings Java SDK: subscribe to topics over Server-Sent Events with reconnection, resume
 * and de-duplication handled, and publish events.
 *
 * <pre>{@code
 * try (TidingsClient client = TidingsClient.builder(URI.create("http://localhost:8080")).build()) {
 *     client.subscribe("orders/**").subscribe().with(event -> System.out.println(event.data()));
 *     client.publish("orders/42", "created", Map.of("total", 12)).toCompletableFuture().join();
 * }
 * }</pre>
 *
 * <p>One client holds one {@link HttpClient}, a timer thread and the threads of its executors, all
 * named {@code tidings-client-<n>-…}; {@link #close()} ends every subscription and releases them.
 * Thread-safe.
 */
public final class TidingsClient implements AutoCloseable {

    private static final AtomicInteger INSTANCES = new AtomicInteger();
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(2);

    private final String base;
    private final StreamSettings settings;
    private final Duration connectTimeout;
    private final int bufferSize;
    private final Consumer<ConnectionStateChange> stateListener;
    private final String threadPrefix;
    private final ExecutorService ioExecutor;
    private final ExecutorService ownedDeliveryExecutor;
    private final Executor deliveryExecutor;
    private final SystemScheduler scheduler;
    private final Set<EventStream> streams = ConcurrentHashMap.newKeySet();
    private volatile HttpClient http;
    private volatile Transport transport;
    private volatile boolean closed;

    private TidingsClient(Builder builder) {
        String uri = builder.baseUri.toString();
        this.base = uri.endsWith("/") ? uri.substring(0, uri.length() - 1) : uri;
        BackoffPolicy backoff = builder.backoff != null ? builder.backoff
                : new ExponentialBackoff(builder.initialDelay, builder.maxDelay, builder.multiplier, builder.jitter);
        this.settings = new StreamSettings(backoff, builder.failurePolicy, builder.readTimeout,
                builder.resetBackoffAfter, builder.tokenSupplier, builder.headers);
        this.connectTimeout = builder.connectTimeout;
        this.bufferSize = builder.bufferSize;
        this.stateListener = builder.stateListener;
        this.threadPrefix = "tidings-client-" + INSTANCES.incrementAndGet();
        this.ioExecutor = pool(threadPrefix + "-io");
        if (builder.deliveryExecutor != null) {
            this.ownedDeliveryExecutor = null;
            this.deliveryExecutor = builder.deliveryExecutor;
        } else {
            this.ownedDeliveryExecutor = pool(threadPrefix + "-delivery");
            this.deliveryExecutor = ownedDeliveryExecutor;
        }
        this.scheduler = new SystemScheduler(threadPrefix + "-timer");
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NORMAL)
                .executor(ioExecutor)
                .build();
        this.transport = new HttpTransport(http);
    }

    /** @param baseUri the server, such as {@code http://localhost:8080}; the API paths are added to it */
    public static Builder builder(URI baseUri) {
        return new Builder(baseUri);
    }

    // --- streams

    /**
     * Events of one or more topics or patterns ({@code *} one segment, {@code **} several) on one
     * connection. Each subscriber of the returned {@code Multi} opens its own connection;
     * cancelling closes it. A fatal status ends it with a {@link TidingsStatusException}.
     */
    public Multi<TidingsEvent> subscribe(String... topics) {
        return subscribe(Arrays.asList(topics));
    }

    public Multi<TidingsEvent> subscribe(Collection<String> topics) {
        return multi(topicsPath(topics));
    }

    /** The listener variant: connects at once and runs until the returned subscription is closed. */
    public Subscription subscribe(TidingsListener listener, String... topics) {
        return listen(listener, topicsPath(Arrays.asList(topics)));
    }

    /** A chat room: send messages and stream its messages and presence. */
    public ChatRoom chat(String room) {
        requireNonEmpty(room, "room");
        return new ChatRoom(this, room);
    }

    /** {@code notification} events of these channels ({@code data(Notification.class)}); all channels when none is given. */
    public Multi<TidingsEvent> notifications(String... channels) {
        return multi(notificationsPath(channels));
    }

    public Subscription notifications(TidingsListener listener, String... channels) {
        return listen(listener, notificationsPath(channels));
    }

    /**
     * Per-connection ticks ({@code data(Tick.class)}) every {@code period}, from 100 ms to 1 h;
     * after a reconnection the ticks go on from the last one received.
     */
    public Multi<TidingsEvent> timer(Duration period) {
        return multi(timerPath(period));
    }

    public Subscription timer(TidingsListener listener, Duration period) {
        return listen(listener, timerPath(period));
    }

    // --- publishing

    /**
     * Publishes {@code data}, written as JSON with Jackson (a {@code String} becomes a JSON
     * string, a {@code Map} an object), to {@code topic}. Completes with the event id, or
     * exceptionally with a {@link TidingsStatusException} when the server refuses it.
     *
     * @param type the event type, or null for the default {@code message}
     */
    public CompletionStage<String> publish(String topic, String type, Object data) {
        JsonNode node = Json.MAPPER.valueToTree(data);
        return publishTree(topic, type, node);
    }

    /** Publishes data that is already JSON text, such as {@code {"total":12}}. */
    public CompletionStage<String> publishJson(String topic, String type, String json) {
        JsonNode node = Json.tree(json);
        if (node == null) {
            throw new IllegalArgumentException("Not JSON: " + json);
        }
        return publishTree(topic, type, node);
    }

    /** Sends a notification to {@code notifications/<channel>}; completes with its event id. */
    public CompletionStage<String> sendNotification(Notification notification) {
        return post("/api/v1/notifications", Json.write(notification));
    }

    CompletionStage<String> postChat(String room, ChatMessage message) {
        return post("/api/v1/chat/" + encodePath(room) + "/messages", Json.write(message));
    }

    Multi<TidingsEvent> chatEvents(String room) {
        return multi("/api/v1/chat/" + encodePath(room));
    }

    Subscription chatEvents(TidingsListener listener, String room) {
        return listen(listener, "/api/v1/chat/" + encodePath(room));
    }

    private CompletionStage<String> publishTree(String topic, String type, JsonNode data) {
        requireNonEmpty(topic, "topic");
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        if (type != null) {
            body.put("type", type);
        }
        body.set("data", data);
        StringBuilder path = new StringBuilder("/api/v1/topics");
        for (String segment : topic.split("/", -1)) {
            path.append('/').append(encodePath(segment));
        }
        return post(path.append("/events").toString(), body.toString());
    }

    private CompletionStage<String> post(String path, String json) {
        HttpClient client = http;
        if (closed || client == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("The client is closed"));
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8));
        if (!settings.readTimeout().isZero()) {
            request.timeout(settings.readTimeout());
        }
        try {
            settings.headers().forEach(request::header);
            String token = settings.tokenSupplier().get();
            if (token != null && !token.isEmpty()) {
                request.header("Authorization", "Bearer " + token);
            }
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return client.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8))
                .thenApply(response -> published(path, response));
    }

    private static String published(String path, HttpResponse<String> response) {
        int status = response.statusCode();
        if (status == 201 || status == 200) {
            JsonNode answer = Json.tree(response.body());
            if (answer != null && answer.path("id").isTextual()) {
                return answer.get("id").asText();
            }
            throw new TidingsException("The server accepted the event but its answer has no id: " + response.body());
        }
        String detail = Json.problemDetail(response.body()).map(text -> ": " + text).orElse("");
        throw new TidingsStatusException("Publishing to " + path + " failed with " + status + detail, status,
                response.body());
    }

    // --- lifecycle

    /**
     * Closes every subscription (their connections and pending reconnections), then releases the
     * HTTP client and the client's threads. Idempotent; publishes and subscriptions after it fail.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (EventStream stream : new ArrayList<>(streams)) {
            stream.close();
        }
        scheduler.shutdown();
        HttpClient client = http;
        http = null;
        transport = null;
        shutdown(client);
        ioExecutor.shutdown();
        if (ownedDeliveryExecutor != null) {
            ownedDeliveryExecutor.shutdown();
        }
        if (!Thread.currentThread().getName().startsWith(threadPrefix + "-")) {
            awaitTermination();
        }
    }

    public boolean isClosed() {
        return closed;
    }

    /** The start of the names of this client's threads. */
    String threadPrefix() {
        return threadPrefix;
    }

    /**
     * On JDK 21 and later the HTTP client can be shut down (it is AutoCloseable there); before
     * that its selector thread ends once the client is unreachable, which this client ensures by
     * dropping its only reference.
     */
    private static void shutdown(HttpClient client) {
        if (!(client instanceof AutoCloseable)) {
            return;
        }
        try {
            Method shutdownNow = HttpClient.class.getMethod("shutdownNow");
            shutdownNow.invoke(client);
            Method await = HttpClient.class.getMethod("awaitTermination", Duration.class);
            await.invoke(client, CLOSE_WAIT);
        } catch (ReflectiveOperationException | RuntimeException e) {
            try {
                ((AutoCloseable) client).close();
            } catch (Exception ignored) {
                // nothing more to release
            }
        }
    }

    private void awaitTermination() {
        try {
            long deadline = System.nanoTime() + CLOSE_WAIT.toNanos();
            scheduler.awaitTermination(CLOSE_WAIT);
            ioExecutor.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (ownedDeliveryExecutor != null) {
                ownedDeliveryExecutor.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // --- plumbing

    private Multi<TidingsEvent> multi(String path) {
        Flow.Publisher<TidingsEvent> publisher = subscriber -> openFlow(path, subscriber);
        return Multi.createFrom().publisher(publisher);
    }

    private void openFlow(String path, Flow.Subscriber<? super TidingsEvent> subscriber) {
        Delivery delivery = new Delivery(deliveryExecutor, new FlowTarget(subscriber), bufferSize);
        EventStream stream = newStream(path, delivery);
        subscriber.onSubscribe(new Flow.Subscription() {
            @Override
            public void request(long n) {
                if (n <= 0) {
                    stream.cancel();
                    subscriber.onError(new IllegalArgumentException("Reactive Streams rule 3.9: request must be positive"));
                } else {
                    delivery.request(n);
                }
            }

            @Override
            public void cancel() {
                stream.cancel();
            }
        });
        start(stream);
    }

    private Subscription listen(TidingsListener listener, String path) {
        Objects.requireNonNull(listener, "listener");
        Delivery delivery = new Delivery(deliveryExecutor, new ListenerTarget(listener), bufferSize);
        delivery.request(Long.MAX_VALUE);
        EventStream stream = newStream(path, delivery);
        start(stream);
        return stream;
    }

    private EventStream newStream(String path, Delivery delivery) {
        EventStream[] self = new EventStream[1];
        Transport current = transport;
        Transport live = current != null ? current : (uri, headers, listener) -> {
            throw new IllegalStateException("The client is closed");
        };
        self[0] = new EventStream(path, URI.create(base + path), settings, live, scheduler, delivery,
                () -> streams.remove(self[0]));
        return self[0];
    }

    private void start(EventStream stream) {
        if (closed) {
            stream.refuse(new IllegalStateException("The client is closed"));
            return;
        }
        streams.add(stream);
        stream.start();
        if (closed) {
            stream.close(); // raced with close()
        }
    }

    private static String topicsPath(Collection<String> topics) {
        if (topics.isEmpty()) {
            throw new IllegalArgumentException("Give at least one topic");
        }
        StringBuilder path = new StringBuilder("/api/v1/events");
        char separator = '?';
        for (String topic : topics) {
            requireNonEmpty(topic, "topic");
            path.append(separator).append("topic=").append(encodeQuery(topic));
            separator = '&';
        }
        return path.toString();
    }

    private static String notificationsPath(String... channels) {
        StringBuilder path = new StringBuilder("/api/v1/notifications");
        char separator = '?';
        for (String channel : channels) {
            requireNonEmpty(channel, "channel");
            path.append(separator).append("channel=").append(encodeQuery(channel));
            separator = '&';
        }
        return path.toString();
    }

    private static String timerPath(Duration period) {
        Objects.requireNonNull(period, "period");
        return "/api/v1/timer?period=" + encodeQuery(period.toString());
    }

    private static String encodeQuery(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static String encodePath(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static void requireNonEmpty(String value, String name) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException(name + " must not be empty");
        }
    }

    private static ExecutorService pool(String name) {
        ThreadPoolExecutor pool = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 10, TimeUnit.SECONDS,
                new java.util.concurrent.SynchronousQueue<>(), new NamedThreadFactory(name, true));
        return pool;
    }

    private void stateChanged(ConnectionStateChange change) {
        if (stateListener != null) {
            stateListener.accept(change);
        }
    }

    /** Feeds the subscriber of a {@code Multi}; state changes go to the client's state listener. */
    private final class FlowTarget implements Delivery.Target {
        private final Flow.Subscriber<? super TidingsEvent> subscriber;

        FlowTarget(Flow.Subscriber<? super TidingsEvent> subscriber) {
            this.subscriber = subscriber;
        }

        @Override
        public void onEvent(TidingsEvent event) {
            subscriber.onNext(event);
        }

        @Override
        public void onStateChange(ConnectionStateChange change) {
            stateChanged(change);
        }

        @Override
        public void onComplete() {
            subscriber.onComplete();
        }

        @Override
        public void onError(Throwable failure) {
            subscriber.onError(failure);
        }
    }

    private final class ListenerTarget implements Delivery.Target {
        private final TidingsListener listener;

        ListenerTarget(TidingsListener listener) {
            this.listener = listener;
        }

        @Override
        public void onEvent(TidingsEvent event) {
            if (event.isGap()) {
                listener.onGap(event);
            } else {
                listener.onEvent(event);
            }
        }

        @Override
        public void onStateChange(ConnectionStateChange change) {
            stateChanged(change);
            listener.onStateChange(change);
        }

        @Override
        public void onComplete() {
        }

        @Override
        public void onError(Throwable failure) {
            listener.onError(failure);
        }
    }

    /** Configuration of a {@link TidingsClient}; every setting has a default. */
    public static final class Builder {

        private final URI baseUri;
        private Supplier<String> tokenSupplier = () -> null;
        private final Map<String, String> headers = new LinkedHashMap<>();
        private Duration initialDelay = Duration.ofSeconds(1);
        private Duration maxDelay = Duration.ofSeconds(30);
        private double multiplier = 2.0;
        private double jitter = 0.5;
        private Duration resetBackoffAfter = Duration.ofSeconds(60);
        private BackoffPolicy backoff;
        private FailurePolicy failurePolicy = FailurePolicy.standard();
        private Duration readTimeout = Duration.ofSeconds(45);
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Executor deliveryExecutor;
        private Consumer<ConnectionStateChange> stateListener;
        private int bufferSize = 1024;

        private Builder(URI baseUri) {
            this.baseUri = Objects.requireNonNull(baseUri, "baseUri");
            String scheme = baseUri.getScheme();
            if (!"http".equalsIgnoreCase(scheme) && !"https".equalsIgnoreCase(scheme)) {
                throw new IllegalArgumentException("The base URI must be http or https: " + baseUri);
            }
        }

        /** Called on every connection attempt and publish; a non-empty result is sent as {@code Authorization: Bearer …}. */
        public Builder tokenSupplier(Supplier<String> supplier) {
            this.tokenSupplier = Objects.requireNonNull(supplier, "supplier");
            return this;
        }

        /** A header sent with every request. */
        public Builder header(String name, String value) {
            headers.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /** Base delay of the first reconnection when the server sent no {@code retry:}. Default 1 s. */
        public Builder initialDelay(Duration delay) {
            this.initialDelay = positive(delay, "initialDelay");
            return this;
        }

        /** Cap of the growing delay (never below the server's {@code retry:}). Default 30 s. */
        public Builder maxDelay(Duration delay) {
            this.maxDelay = positive(delay, "maxDelay");
            return this;
        }

        /** Growth of the delay per failed attempt. Default 2. */
        public Builder backoffMultiplier(double multiplier) {
            if (multiplier < 1) {
                throw new IllegalArgumentException("backoffMultiplier must be at least 1");
            }
            this.multiplier = multiplier;
            return this;
        }

        /** Share of each delay that is random, from 0 (none) to 1. Default 0.5: a delay d waits between d/2 and d. */
        public Builder jitter(double jitter) {
            if (jitter < 0 || jitter > 1) {
                throw new IllegalArgumentException("jitter must be between 0 and 1");
            }
            this.jitter = jitter;
            return this;
        }

        /**
         * A connection open this long counts as stable: the next loss starts the backoff again. Default 60 s.
         * A connection that delivered an event resets the backoff too, however short it was: a server
         * that is rolling over cuts each stream once, and each reconnect then waits the base delay.
         */
        public Builder resetBackoffAfter(Duration stable) {
            this.resetBackoffAfter = Objects.requireNonNull(stable, "stable");
            return this;
        }

        /** Replaces the exponential backoff (and the four settings above) with another policy. */
        public Builder backoff(BackoffPolicy policy) {
            this.backoff = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /** Which statuses and errors stop a subscription. Default {@link FailurePolicy#standard()}. */
        public Builder failurePolicy(FailurePolicy policy) {
            this.failurePolicy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /**
         * A connection that receives no byte (heartbeats count) for this long is dead and is
         * replaced. Keep it above the server's heartbeat (15 s by default). Default 45 s;
         * {@code Duration.ZERO} disables it. Also bounds publish requests.
         */
        public Builder readTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isNegative()) {
                throw new IllegalArgumentException("readTimeout must not be negative");
            }
            this.readTimeout = timeout;
            return this;
        }

        /** Bound on establishing a TCP connection. Default 10 s. */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = positive(timeout, "connectTimeout");
            return this;
        }

        /**
         * Where events and state changes are delivered (one at a time per subscription). Default:
         * the client's own threads. An executor given here is not shut down by {@link #close()}.
         */
        public Builder deliveryExecutor(Executor executor) {
            this.deliveryExecutor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /** Receives the state changes of every subscription, including those of {@code Multi} streams. */
        public Builder onStateChange(Consumer<ConnectionStateChange> listener) {
            this.stateListener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /** Events a subscription may hold for a slow consumer before it stops reading. Default 1024. */
        public Builder bufferSize(int events) {
            if (events < 2) {
                throw new IllegalArgumentException("bufferSize must be at least 2");
            }
            this.bufferSize = events;
            return this;
        }

        public TidingsClient build() {
            return new TidingsClient(this);
        }

        private static Duration positive(Duration value, String name) {
            Objects.requireNonNull(value, name);
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(name + " must be positive");
            }
            return value;
        }
    }
}
