package dev.tidings.server.sse;

import static dev.tidings.server.support.Publisher.publish;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.tidings.server.hub.EventId;
import dev.tidings.server.support.SseTestClient;
import dev.tidings.server.support.SseTestClient.Frame;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Resuming a stream from {@code Last-Event-ID}: the missed events on the stream's topics are
 * replayed in order before live events; an id the history cannot resume from gives a reset.
 * Each test uses its own topics: the tests share one server and one history.
 */
@QuarkusTest
class ResumeTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The %test history size. */
    private static final int HISTORY_SIZE = 300;

    @TestHTTPResource("/api/v1/events")
    URI events;

    @Test
    void resumesFromTheLastEventIdHeaderWithNoGapAndNoDuplicate() {
        resumeAfterMissedEvents("hdr", false);
    }

    @Test
    void resumesFromTheLastEventIdQueryParameterWithNoGapAndNoDuplicate() {
        resumeAfterMissedEvents("qry", true);
    }

    @Test
    void anUnknownIdInTheHeaderGivesAResetThenLiveEventsOnly() {
        unknownIdGivesResetThenLive("unknown-hdr", "1-0", false);
    }

    @Test
    void anUnparsableIdInTheQueryParameterGivesAResetThenLiveEventsOnly() {
        unknownIdGivesResetThenLive("unknown-qry", "garbage", true);
    }

    @Test
    void anUnknownIdIsQuotedAsJsonInTheReset() {
        unknownIdGivesResetThenLive("unknown-quoted", "x\"y\\z", false);
    }

    @Test
    void anIdPushedOutOfHistoryGivesAResetThenLiveEventsOnly() {
        String topic = "resume-expired/a";
        String seen;
        try (SseTestClient client = SseTestClient.open(stream(List.of(topic), null))) {
            assertThat(client.status()).isEqualTo(200);
            String published = publish(topic, "{\"n\":0}");
            seen = client.nextEvent().id();
            assertThat(seen).isEqualTo(published);
        }
        // More than the history holds, on the very topic the stream resumes: a wrong resume would replay them.
        String lastFiller = null;
        for (int i = 1; i <= HISTORY_SIZE + 20; i++) {
            lastFiller = publish(topic, "{\"n\":" + i + "}");
        }
        assertThat(lastFiller).isNotNull();

        try (SseTestClient client = SseTestClient.open(stream(List.of(topic), null), Map.of("Last-Event-ID", seen))) {
            assertThat(client.status()).isEqualTo(200);
            assertReset(client.nextEvent(), seen);
            String live = publish(topic, "{\"n\":\"live\"}");
            Frame next = client.nextEvent();
            assertThat(next.id()).as("the first event after the reset is the live one, no replay").isEqualTo(live);
            assertThat(next.data()).contains("\"data\":{\"n\":\"live\"}");
        }
    }

    private void resumeAfterMissedEvents(String name, boolean byQueryParameter) {
        String chat = "chat/resume-" + name;
        String notifications = "notifications/resume-" + name;
        String jobsPattern = "resume-" + name + "/jobs/*";
        List<String> subscribed = List.of(chat, notifications, jobsPattern);

        String lastSeen;
        try (SseTestClient client = SseTestClient.open(stream(subscribed, null))) {
            assertThat(client.status()).isEqualTo(200);
            List<String> first = List.of(
                    publish(chat, "{\"before\":1}"),
                    publish(notifications, "notification", "{\"before\":2}"),
                    publish("resume-" + name + "/jobs/0", "{\"before\":3}"));
            List<Frame> read = client.nextEvents(first.size());
            assertThat(read).extracting(Frame::id).containsExactlyElementsOf(first);
            lastSeen = read.get(read.size() - 1).id();
        }

        // Missed while disconnected: 50 matching events spread over the subscription, between non-matching ones.
        List<String> expected = new ArrayList<>();
        List<String> expectedTopics = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            String topic;
            String type = "message";
            switch (i % 3) {
                case 0 -> topic = chat;
                case 1 -> {
                    topic = notifications;
                    type = "notification";
                }
                default -> topic = "resume-" + name + "/jobs/" + i;
            }
            expected.add(publish(topic, type, "{\"i\":" + i + "}"));
            expectedTopics.add(topic);
            if (i % 2 == 0) {
                publish(chat + "-other", "{\"noise\":" + i + "}");
            }
            if (i % 5 == 0) {
                publish("resume-" + name + "/jobs/" + i + "/deeper", "{\"noise\":" + i + "}");
                publish("notifications/resume-" + name + "-other", "notification", "{\"noise\":" + i + "}");
            }
        }

        Map<String, String> headers = byQueryParameter ? Map.of() : Map.of("Last-Event-ID", lastSeen);
        URI resume = stream(subscribed, byQueryParameter ? lastSeen : null);
        try (SseTestClient client = SseTestClient.open(resume, headers)) {
            assertThat(client.status()).isEqualTo(200);
            assertThat(client.next().retry()).as("a stream opens with retry").isEqualTo(3000L);

            List<Frame> replayed = client.nextEvents(expected.size());
            assertThat(replayed).extracting(Frame::event).doesNotContain("reset");
            assertThat(replayed).extracting(Frame::id).containsExactlyElementsOf(expected);
            for (int i = 0; i < replayed.size(); i++) {
                JsonNode envelope = parse(replayed.get(i).data());
                assertThat(envelope.path("id").asText()).isEqualTo(expected.get(i));
                assertThat(envelope.path("topic").asText()).isEqualTo(expectedTopics.get(i));
                assertThat(envelope.path("data").path("i").asInt()).isEqualTo(i);
            }
            assertThat(replayed.get(1).event()).isEqualTo("notification");

            // The replay is followed by live events, and nothing else came in between.
            String live = publish("resume-" + name + "/jobs/live", "{\"live\":true}");
            assertThat(client.nextEvent().id()).isEqualTo(live);
        }
    }

    /**
     * Resumes again and again from the newest id while another connection keeps publishing and
     * other subscribers keep every event loop busy: an event stored just before a resume and
     * fanned out just after it must still reach the resumed client only once.
     */
    @Test
    void resumingWhilePublishingNeverRepeatsAnEvent() throws Exception {
        String topic = "resume-race/a";
        AtomicReference<String> newest = new AtomicReference<>(publish(topic, "{\"n\":0}"));
        AtomicBoolean publishing = new AtomicBoolean(true);
        ExecutorService publisher = Executors.newSingleThreadExecutor();
        List<Socket> bystanders = new ArrayList<>();
        try {
            for (int i = 0; i < 8; i++) {
                bystanders.add(openWithoutReading(stream(List.of(topic), null)));
            }
            // A plain HTTP client publishes fast enough to keep fan-out tasks queued on every loop.
            HttpClient http = HttpClient.newHttpClient();
            HttpRequest post = HttpRequest.newBuilder(URI.create(events.toString().replace("/events",
                    "/topics/" + topic + "/events"))).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"data\":1}")).build();
            Future<?> running = publisher.submit(() -> {
                for (int n = 1; publishing.get() && n <= 100_000; n++) {
                    String body = http.send(post, HttpResponse.BodyHandlers.ofString()).body();
                    newest.set(JSON.readTree(body).path("id").asText());
                }
                return null;
            });
            for (int resume = 0; resume < 200 && !running.isDone(); resume++) {
                String from = newest.get();
                try (SseTestClient client = SseTestClient.open(stream(List.of(topic), null),
                        Map.of("Last-Event-ID", from))) {
                    EventId previous = EventId.parse(from).orElseThrow();
                    for (Frame event : client.nextEvents(10)) {
                        assertThat(event.event()).as("resume %d: no reset, the id is retained", resume).isEqualTo("message");
                        EventId id = EventId.parse(event.id()).orElseThrow();
                        assertThat(id.isAfter(previous)).as("resume %d: %s after %s", resume, id, previous).isTrue();
                        previous = id;
                    }
                }
            }
            assertThat(running.isDone()).as("the publisher outlived the resumes").isFalse();
        } finally {
            publishing.set(false);
            publisher.shutdown();
            assertThat(publisher.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
            for (Socket bystander : bystanders) {
                bystander.close();
            }
        }
    }

    /** A subscriber that sends its request and never reads, so its event loop has writes queued. */
    private static Socket openWithoutReading(URI uri) throws IOException {
        Socket socket = new Socket(uri.getHost(), uri.getPort());
        String request = "GET " + uri.getRawPath() + "?" + uri.getRawQuery() + " HTTP/1.1\r\nHost: "
                + uri.getHost() + "\r\nAccept: text/event-stream\r\n\r\n";
        socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        return socket;
    }

    private void unknownIdGivesResetThenLive(String name, String unknownId, boolean byQueryParameter) {
        String topic = "resume-" + name + "/a";
        // Something is retained on the topic, so a replay (which must not happen) would show.
        publish(topic, "{\"retained\":true}");

        Map<String, String> headers = byQueryParameter ? Map.of() : Map.of("Last-Event-ID", unknownId);
        try (SseTestClient client = SseTestClient.open(stream(List.of(topic), byQueryParameter ? unknownId : null),
                headers)) {
            assertThat(client.status()).isEqualTo(200);
            assertThat(client.next().retry()).isEqualTo(3000L);
            assertReset(client.nextEvent(), unknownId);

            String live1 = publish(topic, "{\"live\":1}");
            String live2 = publish(topic, "{\"live\":2}");
            assertThat(client.nextEvents(2)).extracting(Frame::id).containsExactly(live1, live2);
        }
    }

    private static void assertReset(Frame frame, String lastEventId) {
        assertThat(frame.event()).isEqualTo("reset");
        assertThat(frame.id()).as("a reset carries no id, so the client keeps its own").isNull();
        JsonNode data = parse(frame.data());
        assertThat(data.size()).isEqualTo(2);
        assertThat(data.path("reason").asText()).isEqualTo("history-gap");
        assertThat(data.path("lastEventId").isTextual()).isTrue();
        assertThat(data.path("lastEventId").asText()).isEqualTo(lastEventId);
    }

    private URI stream(List<String> topics, String lastEventId) {
        StringBuilder query = new StringBuilder();
        for (String topic : topics) {
            query.append(query.length() == 0 ? "?" : "&").append("topic=").append(encode(topic));
        }
        if (lastEventId != null) {
            query.append("&lastEventId=").append(encode(lastEventId));
        }
        return URI.create(events + query.toString());
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new AssertionError("Not JSON: " + json, e);
        }
    }
}
