package dev.tidings.server.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.tidings.server.config.TidingsConfig;
import dev.tidings.server.hub.BusListener;
import dev.tidings.server.hub.Event;
import dev.tidings.server.hub.EventId;
import dev.tidings.server.hub.Replay;
import dev.tidings.server.hub.TopicFilter;
import dev.tidings.server.support.RedisAvailable;
import dev.tidings.server.support.RedisServer;
import io.quarkus.runtime.configuration.DurationConverter;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.runtime.configuration.MemorySizeConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.vertx.core.Vertx;
import io.vertx.redis.client.ProtocolVersion;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;

/**
 * A replica that has just started, against a real Redis, before its reader knows where it starts:
 * a client resuming there must still get every event stored after its id, whether the replay or
 * the live stream carries it.
 */
@ExtendWith(RedisAvailable.class)
class RedisBusResumeTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private RedisServer server;
    private Vertx vertx;
    private Redis redis;
    private TidingsConfig config;

    @BeforeEach
    void start() throws Exception {
        server = RedisServer.start(false);
        vertx = Vertx.vertx();
        // As application.properties configures Quarkus's client: the bus parses RESP2 answers.
        redis = Redis.createClient(vertx, new RedisOptions().setConnectionString(server.uri())
                .setPreferredProtocolVersion(ProtocolVersion.RESP2));
        SmallRyeConfig smallRye = new SmallRyeConfigBuilder()
                .withConverter(MemorySize.class, 100, new MemorySizeConverter())
                .withConverter(Duration.class, 100, new DurationConverter())
                .withMapping(TidingsConfig.class)
                .withSources(new PropertiesConfigSource(Map.of("tidings.bus", "redis",
                        "tidings.redis.prefix", "resume-" + UUID.randomUUID() + ":"), "test", 100))
                .build();
        config = smallRye.getConfigMapping(TidingsConfig.class);
    }

    @AfterEach
    void stop() throws Exception {
        redis.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        server.close();
    }

    @Test
    void aResumeAskedForBeforeTheReaderStartedMissesNothingStoredMeanwhile() throws Exception {
        RedisBus running = new RedisBus(config, vertx, redis);
        running.start(new Collecting());
        String resumeFrom = publish(running, "seen").idText();

        RedisBus starting = new RedisBus(config, vertx, redis);
        CompletableFuture<Replay> replay = starting.replay(resumeFrom, TopicFilter.of("news"), 100)
                .toCompletableFuture();
        String meanwhile = publish(running, "stored before the new reader started").idText();
        Collecting live = new Collecting();
        starting.start(live);
        String after = publish(running, "after").idText();

        Replay replayed = replay.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(replayed.isReset()).isFalse();
        await().atMost(WAIT).until(() -> received(replayed, live).contains(after));
        assertThat(received(replayed, live)).as("replayed, then live after the last replayed")
                .containsExactly(meanwhile, after);
        running.stop();
        starting.stop();
    }

    /** What the client gets: the replay, then the live events after the last replayed one. */
    private static List<String> received(Replay replayed, Collecting live) {
        List<String> received = new ArrayList<>(replayed.events().stream().map(Event::idText).toList());
        for (Event event : live.events) {
            if (received.isEmpty() || event.id().isAfter(EventId.parse(received.get(received.size() - 1)).orElseThrow())) {
                received.add(event.idText());
            }
        }
        return received;
    }

    private static Event publish(RedisBus bus, String text) throws Exception {
        return bus.publish("news", "message", "{\"text\":\"" + text + "\"}").toCompletableFuture()
                .get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    private static final class Collecting implements BusListener {
        private final List<Event> events = new CopyOnWriteArrayList<>();

        @Override
        public void event(Event event) {
            events.add(event);
        }

        @Override
        public boolean fanOutIsFull() {
            return false;
        }

        @Override
        public void members(String room, int count) {
        }

        @Override
        public void historyReplaced() {
        }
    }
}
