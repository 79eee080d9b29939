package dev.tidings.server.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.tidings.server.support.RedisAvailable;
import dev.tidings.server.support.RedisServer;
import dev.tidings.server.support.ServerProcess;
import dev.tidings.server.support.SseTestClient;
import dev.tidings.server.support.SseTestClient.Frame;

/**
 * Several packaged servers on one real Redis ({@code tidings.bus=redis}), each its own process:
 * they share one ordered history, survive the loss of a replica and of Redis itself, count chat
 * members together, and tell clients with a {@code reset} when Redis lost the history.
 */
@ExtendWith(RedisAvailable.class)
class RedisBusIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(20);

    private final List<AutoCloseable> started = new ArrayList<>();
    private String testName;

    @BeforeEach
    void name(TestInfo info) {
        testName = info.getTestMethod().orElseThrow().getName();
    }

    @AfterEach
    void stopAll() throws Exception {
        for (int i = started.size() - 1; i >= 0; i--) {
            started.get(i).close();
        }
    }

    @Test
    void everyReplicaDeliversEveryEventOnceInOneOrderAndResumesFromAnIdSeenElsewhere() throws Exception {
        RedisServer redis = redis(false);
        List<ServerProcess> replicas = List.of(replica(redis, "a"), replica(redis, "b"), replica(redis, "c"));
        String topic = "notifications/fanout";
        List<SseTestClient> subscribers = new ArrayList<>();
        for (ServerProcess replica : replicas) {
            subscribers.add(stream(replica, "/api/v1/events?topic=" + topic, Map.of()));
        }
        List<String> accepted = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            accepted.add(publish(replicas.get(i % 3), topic, i));
        }
        for (SseTestClient subscriber : subscribers) {
            List<Frame> events = subscriber.nextEvents(30);
            assertThat(events).extracting(Frame::id).as("each replica's subscriber, in id order, once each")
                    .containsExactlyElementsOf(accepted);
        }
        assertThat(accepted).isSortedAccordingTo(RedisBusIT::byStreamId);

        SseTestClient resumed = stream(replicas.get(1), "/api/v1/events?topic=" + topic,
                Map.of("Last-Event-ID", accepted.get(9)));
        assertThat(resumed.nextEvents(20)).extracting(Frame::id).containsExactlyElementsOf(accepted.subList(10, 30));

        for (ServerProcess replica : replicas) {
            JsonNode listed = topics(replica, topic);
            assertThat(listed.get("lastEventId").asText()).as("topics listing on every replica").isEqualTo(accepted.get(29));
        }
    }

    @Test
    void aClientOfAKilledReplicaResumesOnAnotherWithNothingMissing() throws Exception {
        RedisServer redis = redis(false);
        ServerProcess publishedTo = replica(redis, "a");
        ServerProcess killed = replica(redis, "b");
        String topic = "notifications/killed";
        SseTestClient subscriber = stream(killed, "/api/v1/events?topic=" + topic, Map.of());
        List<String> accepted = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            accepted.add(publish(publishedTo, topic, i));
        }
        String lastSeen = subscriber.nextEvents(10).get(9).id();

        killed.close();
        for (int i = 10; i < 30; i++) {
            accepted.add(publish(publishedTo, topic, i));
        }

        SseTestClient resumed = stream(publishedTo, "/api/v1/events?topic=" + topic, Map.of("Last-Event-ID", lastSeen));
        assertThat(resumed.nextEvents(20)).extracting(Frame::id).containsExactlyElementsOf(accepted.subList(10, 30));
    }

    @Test
    void whileRedisIsDownPublishesGet503AndReadinessIsDownThenDeliveryGoesOnWithNothingLost() throws Exception {
        RedisServer redis = redis(true);
        ServerProcess server = replica(redis, "a");
        String topic = "notifications/outage";
        SseTestClient subscriber = stream(server, "/api/v1/events?topic=" + topic, Map.of());
        List<String> accepted = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            accepted.add(publish(server, topic, i));
        }
        assertThat(subscriber.nextEvents(5)).extracting(Frame::id).containsExactlyElementsOf(accepted);

        redis.stop();
        await("readiness DOWN").atMost(WAIT).until(() -> server.status("/q/health/ready") == 503);
        HttpResponse<String> refused = server.postJson("/api/v1/topics/" + topic + "/events", "{\"data\":\"lost?\"}");
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.headers().firstValue("Retry-After")).isPresent();
        assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(subscriber.nextMatching(frame -> frame.comment() != null).comment())
                .as("the open stream stays open: heartbeats go on").isEqualTo("hb");

        redis.start();
        await("readiness UP").atMost(WAIT).until(() -> server.status("/q/health/ready") == 200);
        for (int i = 5; i < 10; i++) {
            accepted.add(publish(server, topic, i));
        }
        assertThat(subscriber.nextEvents(5)).extracting(Frame::id).as("delivery goes on, on the same stream")
                .containsExactlyElementsOf(accepted.subList(5, 10));
        assertThat(readHistory(server, topic)).as("every accepted event is in the history").containsExactlyElementsOf(accepted);
    }

    @Test
    void withPersistenceAResumeAfterEveryReplicaRestartedGetsEveryEventAndNoReset() throws Exception {
        RedisServer redis = redis(true);
        ServerProcess first = replica(redis, "a");
        String topic = "notifications/restart";
        List<String> accepted = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            accepted.add(publish(first, topic, i));
        }
        first.terminate();
        assertThat(first.awaitExit(WAIT)).isTrue();
        redis.stop();
        redis.start();

        ServerProcess second = replica(redis, "b");
        SseTestClient resumed = stream(second, "/api/v1/events?topic=" + topic, Map.of("Last-Event-ID", accepted.get(1)));
        List<Frame> events = resumed.nextEvents(4);
        assertThat(events).extracting(Frame::event).doesNotContain("reset");
        assertThat(events).extracting(Frame::id).containsExactlyElementsOf(accepted.subList(2, 6));
    }

    @Test
    void whenRedisLosesTheHistoryOpenStreamsEndAndResumeWithAReset() throws Exception {
        RedisServer redis = redis(false);
        ServerProcess server = replica(redis, "a");
        String topic = "notifications/epoch";
        SseTestClient subscriber = stream(server, "/api/v1/events?topic=" + topic, Map.of());
        String lastSeen = null;
        for (int i = 0; i < 3; i++) {
            publish(server, topic, i);
            lastSeen = subscriber.nextEvent().id();
        }

        redis.stop();
        redis.start();
        subscriber.awaitEnd(WAIT);
        await("readiness UP").atMost(WAIT).until(() -> server.status("/q/health/ready") == 200);
        String afterLoss = publish(server, topic, "new history");

        SseTestClient resumed = stream(server, "/api/v1/events?topic=" + topic, Map.of("Last-Event-ID", lastSeen));
        Frame reset = resumed.nextEvent();
        assertThat(reset.event()).as("a resume id from the lost history is a gap, never silently resumed").isEqualTo("reset");
        assertThat(JSON.readTree(reset.data()).get("lastEventId").asText()).isEqualTo(lastSeen);
        publish(server, topic, "live");
        assertThat(JSON.readTree(resumed.nextEvent().data()).get("data").asText()).isEqualTo("live");
        assertThat(readHistory(server, topic)).startsWith(afterLoss);
    }

    @Test
    void chatMembersAreCountedAcrossReplicasAndAKilledReplicasMembersStopCounting() throws Exception {
        RedisServer redis = redis(false);
        ServerProcess stays = replica(redis, "a", "-Dtidings.redis.replica-expiry=3s");
        ServerProcess killed = replica(redis, "b", "-Dtidings.redis.replica-expiry=3s");
        SseTestClient here = stream(stays, "/api/v1/chat/lobby", Map.of());
        assertThat(members(here)).isEqualTo(1);
        SseTestClient there = stream(killed, "/api/v1/chat/lobby", Map.of());
        assertThat(members(there)).as("the new member's first count includes the member on the other replica").isEqualTo(2);
        assertThat(members(here)).isEqualTo(2);

        killed.close();
        assertThat(members(here)).as("a replica that died without a goodbye stops counting").isEqualTo(1);
    }

    @Test
    void aReplicaStoppedWithSigtermSaysGoodbyeWhileRedisIsStillOpenToIt() throws Exception {
        RedisServer redis = redis(false);
        replica(redis, "a", "-Dtidings.redis.replica-expiry=1h", "-Dquarkus.shutdown.delay=1s");
        ServerProcess stopped = replica(redis, "b", "-Dtidings.redis.replica-expiry=1h", "-Dquarkus.shutdown.delay=1s");
        await().atMost(WAIT).until(() -> redis.command("ZCARD", "tidings:replicas").equals(":2"));

        stopped.terminate();
        assertThat(stopped.awaitExit(WAIT)).as("the replica exits").isTrue();

        assertThat(redis.command("ZCARD", "tidings:replicas")).as("only the replica still running is checked in, "
                + "an hour before it could have expired").isEqualTo(":1");
        assertThat(Files.readString(Path.of("target/redis-bus-it-" + testName + "-b.log")))
                .contains("stopped in").doesNotContain("Redis cannot be reached");
    }

    @Test
    void aDrainingReplicaRefusesNewStreamsButStillTakesPublishesThatTheOthersDeliver() throws Exception {
        RedisServer redis = redis(false);
        ServerProcess stays = replica(redis, "a");
        ServerProcess draining = replica(redis, "b", "-Dquarkus.shutdown.delay=5s");
        String topic = "notifications/draining";
        SseTestClient elsewhere = stream(stays, "/api/v1/events?topic=" + topic, Map.of());
        SseTestClient ending = stream(draining, "/api/v1/events?topic=" + topic, Map.of());

        draining.terminate();
        assertThat(ending.awaitCleanEnd(WAIT)).as("the draining replica's stream ends cleanly").isTrue();
        assertThat(draining.status("/q/health/ready")).isEqualTo(503);
        assertThat(draining.get("/api/v1/events?topic=" + topic).statusCode()).as("a new stream").isEqualTo(503);
        String accepted = publish(draining, topic, "during the delay");

        Frame delivered = elsewhere.nextEvent();
        assertThat(delivered.id()).as("the event taken while draining, delivered by the other replica").isEqualTo(accepted);
        assertThat(delivered.data()).contains("during the delay");
        assertThat(draining.awaitExit(WAIT)).as("the replica exits after the delay").isTrue();
    }

    @Test
    void eventsOlderThanTheTtlLeaveTheStreamAndTheTopicsListing() throws Exception {
        RedisServer redis = redis(false);
        ServerProcess server = replica(redis, "a", "-Dtidings.history.ttl=2s");
        String topic = "notifications/expiring";
        publish(server, topic, Map.of("n", 1));
        assertThat(readHistory(server, topic)).hasSize(1);
        assertThat(server.get("/api/v1/topics").body()).contains(topic);

        await().atMost(WAIT).until(() -> redis.command("XLEN", "tidings:events").equals(":0"));
        assertThat(readHistory(server, topic)).isEmpty();
        assertThat(server.get("/api/v1/topics").body()).doesNotContain(topic);
    }

    @Test
    void anUnknownBusFailsStartUpWithAClearMessage() throws Exception {
        File log = new File("target/redis-bus-it-" + testName + ".log");
        List<String> command = ServerProcess.command(ServerProcess.freePort(), List.of("-Dtidings.bus=kafka"));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log).start();
        try {
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("start-up stops").isTrue();
            assertThat(process.exitValue()).isNotZero();
            assertThat(Files.readString(log.toPath())).contains("tidings.bus").contains("kafka").containsIgnoringCase("redis");
        } finally {
            process.destroyForcibly();
        }
    }

    private int members(SseTestClient chat) throws IOException {
        Frame presence = chat.nextMatching(frame -> "presence".equals(frame.event()));
        return JSON.readTree(presence.data()).get("data").get("members").asInt();
    }

    private RedisServer redis(boolean persistent) throws IOException {
        RedisServer redis = RedisServer.start(persistent);
        started.add(redis);
        return redis;
    }

    private ServerProcess replica(RedisServer redis, String name, String... extra) throws IOException {
        List<String> properties = new ArrayList<>(List.of("-Dtidings.bus=redis", "-Dquarkus.redis.hosts=" + redis.uri(),
                "-Dtidings.sse.heartbeat=500ms", "-Dtidings.publish.anonymous=**"));
        properties.addAll(List.of(extra));
        ServerProcess server = ServerProcess.start(new File("target/redis-bus-it-" + testName + "-" + name + ".log"),
                properties.toArray(String[]::new));
        started.add(server);
        return server;
    }

    private SseTestClient stream(ServerProcess server, String path, Map<String, String> headers) {
        SseTestClient stream = SseTestClient.open(server.uri(path), headers);
        started.add(stream);
        assertThat(stream.status()).isEqualTo(200);
        assertThat(stream.next().retry()).as("the stream opens with retry:").isNotNull();
        return stream;
    }

    private static String publish(ServerProcess server, String topic, Object data) throws IOException {
        HttpResponse<String> response = server.postJson("/api/v1/topics/" + topic + "/events",
                "{\"data\":" + JSON.writeValueAsString(data) + "}");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        return JSON.readTree(response.body()).get("id").asText();
    }

    private static List<String> readHistory(ServerProcess server, String topic) throws IOException {
        List<String> ids = new ArrayList<>();
        JSON.readTree(server.get("/api/v1/topics/" + topic + "/events?limit=1000").body()).forEach(event -> ids.add(event.get("id").asText()));
        return ids;
    }

    private static JsonNode topics(ServerProcess server, String topic) throws IOException {
        for (JsonNode listed : JSON.readTree(server.get("/api/v1/topics").body())) {
            if (listed.get("topic").asText().equals(topic)) {
                return listed;
            }
        }
        throw new AssertionError(topic + " is not listed");
    }

    private static int byStreamId(String a, String b) {
        String[] left = a.split("-");
        String[] right = b.split("-");
        int byMillis = Long.compare(Long.parseLong(left[0]), Long.parseLong(right[0]));
        return byMillis != 0 ? byMillis : Long.compare(Long.parseLong(left[1]), Long.parseLong(right[1]));
    }
}
