package dev.tidings.server.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.tidings.server.support.ProtocolSseClient.Protocol;
import dev.tidings.server.support.RedisAvailable;
import dev.tidings.server.support.RedisTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** The stream contract over HTTP/1.1 with the Redis bus: history, replay and fan-out through a real Redis. */
@QuarkusTest
@TestProfile(RedisBusStreamsTest.RedisBus.class)
@ExtendWith(RedisAvailable.class)
class RedisBusStreamsTest extends StreamContractTests {

    private static final int RESUMING = 100;
    private static final int ROUNDS = 5;
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Pattern ID = Pattern.compile("\"id\":\"([^\"]+)\"");
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(WAIT).build();

    public static class RedisBus extends StreamSettingsProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(RedisTestResource.class));
        }
    }

    @Override
    protected Protocol protocol() {
        return Protocol.HTTP_1_1;
    }

    /**
     * Many clients resume from the newest id at once while another topic's publishes land among
     * their replays: each id is resumable, so none gets a reset (a reconnect storm on two replicas
     * once reset 63 of 300 clients this way) and each gets the next event of its topic.
     */
    @Test
    void clientsResumingFromTheNewestIdWhilePublishesLandAreNeverReset() throws Exception {
        String topic = "redis/resume-race-" + UUID.randomUUID();
        String other = "redis/elsewhere-" + UUID.randomUUID();
        for (int round = 0; round < ROUNDS; round++) {
            String newest = publish(topic);
            List<CompletableFuture<HttpResponse<Stream<String>>>> streams = new ArrayList<>();
            List<CompletableFuture<String>> landing = new ArrayList<>();
            for (int i = 0; i < RESUMING; i++) {
                HttpRequest resume = HttpRequest.newBuilder(root.resolve("/api/v1/events?topic="
                        + URLEncoder.encode(topic, StandardCharsets.UTF_8)))
                        .header("Accept", "text/event-stream").header("Last-Event-ID", newest).build();
                streams.add(HTTP.sendAsync(resume, HttpResponse.BodyHandlers.ofLines()));
                if (i % 10 == 0) {
                    landing.add(CompletableFuture.supplyAsync(() -> publish(other)));
                }
            }
            CompletableFuture.allOf(landing.toArray(CompletableFuture[]::new)).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            List<HttpResponse<Stream<String>>> open = new ArrayList<>();
            for (CompletableFuture<HttpResponse<Stream<String>>> stream : streams) {
                open.add(stream.get(WAIT.toSeconds(), TimeUnit.SECONDS));
            }
            String next = publish(topic);
            for (HttpResponse<Stream<String>> response : open) {
                assertThat(response.statusCode()).isEqualTo(200);
                try (Stream<String> lines = response.body()) {
                    String first = lines.filter(line -> line.startsWith("event:") || line.startsWith("id:"))
                            .findFirst().orElseThrow();
                    assertThat(first).as("round %d: the first frame of a client resuming from %s", round, newest)
                            .isEqualTo("id: " + next);
                }
            }
        }
    }

    private String publish(String topic) {
        HttpRequest request = HttpRequest.newBuilder(root.resolve("/api/v1/topics/" + topic + "/events"))
                .timeout(WAIT).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"data\":{}}")).build();
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
            Matcher id = ID.matcher(response.body());
            assertThat(id.find()).as(response.body()).isTrue();
            return id.group(1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
