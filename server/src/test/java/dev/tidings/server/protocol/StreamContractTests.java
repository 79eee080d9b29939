package dev.tidings.server.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import dev.tidings.server.support.Metrics;
import dev.tidings.server.support.Problems;
import dev.tidings.server.support.ProtocolSseClient;
import dev.tidings.server.support.ProtocolSseClient.Frame;
import dev.tidings.server.support.ProtocolSseClient.Protocol;
import io.quarkus.test.common.http.TestHTTPResource;

/**
 * The stream contract of DESIGN.md "Streams", run over one protocol per subclass: HTTP/1.1, h2c,
 * HTTP/2 over TLS and compression all serve streams alike, each frame reaching the client as soon
 * as it is written. Only what a client sees over HTTP is checked (and {@code /q/metrics}). Each test
 * uses its own topics; publishing goes over the plain port with any HTTP client.
 */
abstract class StreamContractTests {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final int LIVE_EVENTS = 20;
    private static final int MISSED_EVENTS = 10;
    /** Upper bound on events published while the stalled reader waits to be closed (about 10 MB in all). */
    private static final int MAX_STALL_EVENTS = 600;
    /** Random characters: a compressing server cannot shrink them much, so backpressure builds as fast. */
    private static final int PAYLOAD_CHARS = 16 * 1024;
    /** A replay of many times the send queue (and any HTTP/2 flow-control window): 800 KiB. */
    private static final int REPLAY_EVENTS = 100;
    private static final int REPLAY_PAYLOAD_CHARS = 8 * 1024;
    /**
     * A backlog a reader may build while it does not read, and not be cut: what an HTTP/2 client's
     * default 64 KiB flow-control window holds in flight, plus about a quarter of the send queue
     * waiting on the server (about 82 KiB in all, with the envelopes).
     */
    private static final int LAG_EVENTS = 10;
    private static final int LAG_PAYLOAD_CHARS = 8 * 1024;
    /** How often, in events, the publisher looks whether the stalled stream was closed yet. */
    private static final int CHECK_EVERY = 4;
    private static final int EVENTS_AFTER_DISCONNECT = 5;
    /** Publishes over plain HTTP/1.1; cheaper per call than RestAssured, for the hundreds of large events. */
    private static final HttpClient PUBLISHER = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(ProtocolSseClient.TIMEOUT).build();
    private static final Pattern OPEN_STREAMS = Pattern.compile("(?m)^tidings_streams_open\\{[^}]*} (\\S+)");

    @TestHTTPResource("/")
    URI root;

    protected abstract Protocol protocol();

    /** Where streams are opened: the plain port unless the protocol needs another. */
    protected URI streamsRoot() {
        return root;
    }

    @Test
    void anEventStreamAnswersWithSseHeadersAndRetryBeforeAnyEventExists() {
        try (ProtocolSseClient client = open(events(topic("headers")))) {
            assertSseHead(client);
            assertRetryFirst(client);
        }
    }

    @Test
    void aChatStreamAnswersWithSseHeadersAndRetryFirst() {
        try (ProtocolSseClient client = open(chat(room("headers")))) {
            assertSseHead(client);
            assertRetryFirst(client);
        }
    }

    @Test
    void eachEventReachesTheClientBeforeTheNextIsPublished() {
        String topic = topic("live");
        try (ProtocolSseClient client = open(events(topic))) {
            assertSseHead(client);
            for (int i = 0; i < LIVE_EVENTS; i++) {
                String text = "événement ✓ " + i;
                String id = publish(topic, "{\"n\":" + i + ",\"text\":\"" + text + "\"}");
                Frame event = client.nextEvent();
                assertThat(event.id()).as("event #%d", i).isEqualTo(id);
                assertThat(event.event()).as("event #%d", i).isEqualTo("message");
                JsonNode envelope = parse(event.data());
                assertThat(envelope.path("id").asText()).isEqualTo(id);
                assertThat(envelope.path("topic").asText()).isEqualTo(topic);
                assertThat(envelope.path("data").path("n").asInt()).isEqualTo(i);
                assertThat(envelope.path("data").path("text").asText()).isEqualTo(text);
            }
        }
    }

    @Test
    void eachChatMessageReachesTheRoomBeforeTheNextIsSent() {
        String room = room("live");
        try (ProtocolSseClient client = open(chat(room))) {
            assertSseHead(client);
            for (int i = 0; i < LIVE_EVENTS; i++) {
                String text = "message ✓ " + i;
                String id = sendChat(room, text);
                Frame message = client.nextMatching(frame -> "message".equals(frame.event()));
                assertThat(message.id()).as("message #%d", i).isEqualTo(id);
                JsonNode envelope = parse(message.data());
                assertThat(envelope.path("topic").asText()).isEqualTo("chat/" + room);
                assertThat(envelope.path("data").path("text").asText()).isEqualTo(text);
            }
        }
    }

    @Test
    void aResumedStreamGetsExactlyTheMissedEventsInOrderThenLiveOnes() {
        String topic = topic("resume");
        String lastSeen;
        try (ProtocolSseClient client = open(events(topic))) {
            assertThat(client.status()).isEqualTo(200);
            List<String> seen = List.of(publish(topic, "{\"n\":-3}"), publish(topic, "{\"n\":-2}"),
                    publish(topic, "{\"n\":-1}"));
            assertThat(client.nextEvents(seen.size())).extracting(Frame::id).containsExactlyElementsOf(seen);
            lastSeen = seen.get(seen.size() - 1);
        }
        List<String> missed = new ArrayList<>();
        for (int i = 0; i < MISSED_EVENTS; i++) {
            missed.add(publish(topic, "{\"n\":" + i + "}"));
        }

        try (ProtocolSseClient client = open(events(topic), Map.of("Last-Event-ID", lastSeen))) {
            assertSseHead(client);
            assertRetryFirst(client);
            List<Frame> replayed = client.nextEvents(missed.size());
            assertThat(replayed).extracting(Frame::id).as("the missed events, in order")
                    .containsExactlyElementsOf(missed);
            for (int i = 0; i < replayed.size(); i++) {
                assertThat(parse(replayed.get(i).data()).path("data").path("n").asInt()).isEqualTo(i);
            }
            String live = publish(topic, "{\"n\":\"live\"}");
            assertThat(client.nextEvent().id()).as("the next event is the live one: no duplicate, no extra")
                    .isEqualTo(live);
        }
    }

    @Test
    void aReplayLargerThanTheSendQueueIsPacedByTheReaderAndNotCutAsSlow() {
        String topic = topic("replay");
        String lastSeen;
        try (ProtocolSseClient client = open(events(topic))) {
            assertThat(client.status()).isEqualTo(200);
            lastSeen = publish(topic, "{\"n\":-1}");
            assertThat(client.nextEvent().id()).isEqualTo(lastSeen);
        }
        List<String> missed = new ArrayList<>();
        for (int n = 0; n < REPLAY_EVENTS; n++) {
            missed.add(publish(topic, payload(n, REPLAY_PAYLOAD_CHARS)));
        }
        await("streams of earlier tests to close").atMost(WAIT).until(() -> openStreams() == 0);
        double disconnectsBefore = Metrics.slowDisconnects();

        try (ProtocolSseClient client = open(events(topic), Map.of("Last-Event-ID", lastSeen))) {
            assertSseHead(client);
            for (int n = 0; n < missed.size(); n++) {
                Frame event = client.nextEvent();
                assertThat(event.id()).as("replayed event #%d of %d", n, missed.size()).isEqualTo(missed.get(n));
                assertThat(parse(event.data()).path("data").path("pad").asText()).as("payload of event #%d", n)
                        .isEqualTo(pad(n, REPLAY_PAYLOAD_CHARS));
            }
            String live = publish(topic, "{\"n\":\"live\"}");
            assertThat(client.nextEvent().id()).as("the live event after the replay").isEqualTo(live);
            assertThat(client.ending()).as("the resumed stream is still open").isEmpty();
            assertThat(Metrics.slowDisconnects()).as("tidings_streams_slow_disconnects_total after the replay")
                    .isEqualTo(disconnectsBefore);
        }
    }

    @Test
    void anUnknownLastEventIdGivesAResetFirstThenLiveEvents() {
        String topic = topic("reset");
        String unknown = "1-0";
        // Something is retained on the topic, so a replay (which must not happen) would show.
        publish(topic, "{\"retained\":true}");
        try (ProtocolSseClient client = open(events(topic), Map.of("Last-Event-ID", unknown))) {
            assertSseHead(client);
            assertRetryFirst(client);
            Frame reset = client.nextEvent();
            assertThat(reset.event()).isEqualTo("reset");
            assertThat(reset.id()).as("a reset carries no id").isNull();
            assertThat(parse(reset.data())).isEqualTo(JsonNodeFactory.instance.objectNode()
                    .put("reason", "history-gap").put("lastEventId", unknown));
            String live = publish(topic, "{\"n\":\"live\"}");
            assertThat(client.nextEvent().id()).as("after the reset, the live event and no replay").isEqualTo(live);
        }
    }

    @Test
    void anIdleStreamReceivesHeartbeatComments() {
        try (ProtocolSseClient client = open(events(topic("idle")))) {
            assertSseHead(client);
            assertRetryFirst(client);
            // Each next() waits a bounded time, many heartbeat periods: a stream without heartbeats fails here.
            for (int i = 0; i < 2; i++) {
                Frame frame = client.next();
                assertThat(frame.comments()).as("frame %d of an idle stream: %s", i, frame).containsExactly("hb");
                assertThat(frame.isEvent()).isFalse();
                assertThat(frame.id()).isNull();
                assertThat(frame.event()).isNull();
                assertThat(frame.retry()).isNull();
            }
        }
    }

    @Test
    void aStalledReaderIsClosedByTheServerWhileAnotherReaderGetsEveryEventInOrder() {
        await("streams of earlier tests to close").atMost(WAIT).until(() -> openStreams() == 0);
        double disconnectsBefore = Metrics.slowDisconnects();
        assertThat(disconnectsBefore).as("tidings_streams_slow_disconnects_total is exported").isNotNaN();
        String topic = topic("slow");

        try (ProtocolSseClient stalled = ProtocolSseClient.openWithSmallReceiveBuffer(protocol(), events(topic));
                ProtocolSseClient reader = open(events(topic))) {
            assertSseHead(stalled);
            assertRetryFirst(stalled);
            assertSseHead(reader);
            assertRetryFirst(reader);
            stalled.pause();

            // In lockstep: the reader is never more than one event behind, so only the stalled stream backs up.
            List<String> published = new ArrayList<>();
            while (published.size() < MAX_STALL_EVENTS
                    && !(published.size() % CHECK_EVERY == 0 && Metrics.slowDisconnects() > disconnectsBefore)) {
                publishAndReceive(topic, reader, published);
            }
            await("the server to close the stalled stream as too slow after " + published.size() + " events of "
                    + PAYLOAD_CHARS + " bytes (its queue is " + StreamSettingsProfile.QUEUE_BYTES + " bytes)")
                    .atMost(WAIT).until(() -> Metrics.slowDisconnects() > disconnectsBefore);
            for (int i = 0; i < EVENTS_AFTER_DISCONNECT; i++) {
                publishAndReceive(topic, reader, published);
            }
            assertThat(reader.ending()).as("the reading stream is still open").isEmpty();

            // Reading again, the stalled client finds what was sent before the close, then the close.
            stalled.resume();
            stalled.awaitEnd(WAIT);
            List<String> stalledGot = stalled.drain().stream().filter(Frame::isEvent).map(Frame::id).toList();
            assertThat(stalledGot.size()).as("events the stalled stream got before it was closed")
                    .isLessThan(published.size());
            assertThat(stalledGot).as("what the stalled stream got is the start of what was published, in order")
                    .containsExactlyElementsOf(published.subList(0, stalledGot.size()));
            assertThat(Metrics.slowDisconnects()).as("tidings_streams_slow_disconnects_total counts the stalled stream only")
                    .isEqualTo(disconnectsBefore + 1);
        }
    }

    @Test
    void aReaderBehindByLessThanItsQueueIsNotCut() {
        await("streams of earlier tests to close").atMost(WAIT).until(() -> openStreams() == 0);
        double disconnectsBefore = Metrics.slowDisconnects();
        String topic = topic("lagging");
        try (ProtocolSseClient reader = open(events(topic))) {
            assertSseHead(reader);
            assertRetryFirst(reader);
            reader.pause();
            List<String> published = new ArrayList<>();
            for (int n = 0; n < LAG_EVENTS; n++) {
                published.add(publish(topic, payload(n, LAG_PAYLOAD_CHARS)));
            }
            reader.resume();
            for (int n = 0; n < published.size(); n++) {
                Frame event = reader.nextEvent();
                assertThat(event.id()).as("event #%d of %d after the pause", n, published.size())
                        .isEqualTo(published.get(n));
                assertThat(parse(event.data()).path("data").path("pad").asText()).as("payload of event #%d", n)
                        .isEqualTo(pad(n, LAG_PAYLOAD_CHARS));
            }
            assertThat(reader.ending()).as("the stream is still open").isEmpty();
            assertThat(Metrics.slowDisconnects()).as("tidings_streams_slow_disconnects_total")
                    .isEqualTo(disconnectsBefore);
        }
    }

    /** Publishes event #{@code published.size()} and takes it from the reader before going on. */
    private void publishAndReceive(String topic, ProtocolSseClient reader, List<String> published) {
        int n = published.size();
        published.add(publish(topic, payload(n, PAYLOAD_CHARS)));
        Frame event = reader.nextEvent();
        assertThat(event.id()).as("the reader's event #%d", n).isEqualTo(published.get(n));
        JsonNode data = parse(event.data()).path("data");
        assertThat(data.path("n").asInt()).as("payload of event #%d", n).isEqualTo(n);
        assertThat(data.path("pad").asText()).as("payload of event #%d", n).isEqualTo(pad(n, PAYLOAD_CHARS));
    }

    private ProtocolSseClient open(URI uri) {
        return ProtocolSseClient.open(protocol(), uri);
    }

    private ProtocolSseClient open(URI uri, Map<String, String> headers) {
        return ProtocolSseClient.open(protocol(), uri, headers);
    }

    private void assertSseHead(ProtocolSseClient client) {
        assertThat(client.version()).as("HTTP version of the response").isEqualTo(protocol().version());
        assertThat(client.status()).isEqualTo(200);
        assertThat(client.headers().get("content-type")).startsWith("text/event-stream");
        assertThat(client.headers().get("cache-control")).isEqualTo("no-cache");
        assertThat(client.headers().get("x-accel-buffering")).isEqualTo("no");
    }

    private static void assertRetryFirst(ProtocolSseClient client) {
        Frame first = client.next();
        assertThat(first.retry()).as("the stream's first frame has retry: %s", first)
                .isEqualTo(StreamSettingsProfile.RETRY.toMillis());
        assertThat(first.isEvent()).as("the first frame is no event: %s", first).isFalse();
    }

    private String topic(String name) {
        return "protocols/" + protocol().name().toLowerCase() + "/" + name + "-" + UUID.randomUUID();
    }

    private String room(String name) {
        return protocol().name().toLowerCase() + "-" + name + "-" + UUID.randomUUID();
    }

    private URI events(String topic) {
        return streamsRoot().resolve("/api/v1/events?topic=" + URLEncoder.encode(topic, StandardCharsets.UTF_8));
    }

    private URI chat(String room) {
        return streamsRoot().resolve("/api/v1/chat/" + room);
    }

    private String publish(String topic, String dataJson) {
        return post("/api/v1/topics/" + topic + "/events", "{\"data\":" + dataJson + "}");
    }

    private String sendChat(String room, String text) {
        return post("/api/v1/chat/" + room + "/messages",
                JsonNodeFactory.instance.objectNode().put("author", "ann").put("text", text).toString());
    }

    /** Posts JSON, expects 201 and returns the new event's id. */
    private String post(String path, String json) {
        HttpRequest request = HttpRequest.newBuilder(root.resolve(path)).timeout(ProtocolSseClient.TIMEOUT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build();
        HttpResponse<String> response;
        try {
            response = PUBLISHER.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("Could not post to " + path, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        assertThat(response.statusCode()).as("POST %s: %s", path, response.body()).isEqualTo(201);
        return Problems.parse("POST " + path, response.body()).path("id").asText();
    }

    private static String payload(int n, int chars) {
        return "{\"n\":" + n + ",\"pad\":\"" + pad(n, chars) + "\"}";
    }

    /** {@code chars} random characters, the same for the same {@code n}. */
    private static String pad(int n, int chars) {
        byte[] random = new byte[chars / 4 * 3];
        new Random(n).nextBytes(random);
        return Base64.getEncoder().encodeToString(random);
    }

    /** Streams of every family open on the server. */
    private static double openStreams() {
        Matcher line = OPEN_STREAMS.matcher(Metrics.scrape());
        double open = 0;
        while (line.find()) {
            open += Double.parseDouble(line.group(1));
        }
        return open;
    }

    private static JsonNode parse(String json) {
        return Problems.parse("event data", json);
    }
}
