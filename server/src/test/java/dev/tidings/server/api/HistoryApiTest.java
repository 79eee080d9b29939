package dev.tidings.server.api;

import static dev.tidings.server.support.Publisher.publish;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;

import dev.tidings.server.support.Metrics;
import dev.tidings.server.support.Problems;
import dev.tidings.server.support.SseTestClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

@QuarkusTest
class HistoryApiTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    /** {@code tidings.history.max-read-bytes}: the default, 1M. */
    private static final long MAX_READ_BYTES = 1024 * 1024;
    /** {@code %test.tidings.history.max-bytes}: 4M. */
    private static final double MAX_HISTORY_BYTES = 4 * 1024 * 1024;
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final Pattern NEXT = Pattern.compile("<([^>]+)>; rel=\"next\"");

    @TestHTTPResource("/")
    URI root;

    private static JsonNode history(String topic, String query) {
        String body = given().when().get("/api/v1/topics/" + topic + "/events" + query)
                .then().statusCode(200).contentType("application/json").extract().asString();
        JsonNode events = Problems.parse("history", body);
        assertThat(events.isArray()).as("history is a JSON array: %s", body).isTrue();
        return events;
    }

    private static List<String> ids(JsonNode events) {
        List<String> ids = new ArrayList<>();
        events.forEach(event -> ids.add(event.path("id").asText()));
        return ids;
    }

    @Test
    void numbersKeepEveryDigitThePublisherSent() {
        String topic = "history/" + UUID.randomUUID();
        String data = "{\"big\":123456789012345678901234567890,\"long\":9007199254740993,\"small\":-7,"
                + "\"decimal\":0.10000000000000000001}";
        publish(topic, data);

        String body = given().when().get("/api/v1/topics/" + topic + "/events")
                .then().statusCode(200).extract().asString();
        assertThat(body).contains("\"data\":" + data + "}");
    }

    @Test
    void historyReturnsEnvelopesOldestFirstAndPagesWithAfterAndLimit() {
        String topic = "history/" + UUID.randomUUID();
        String other = topic + "/other";
        Instant before = Instant.now().minusSeconds(1);
        List<String> ids = new ArrayList<>();
        for (int n = 1; n <= 5; n++) {
            ids.add(publish(topic, n % 2 == 0 ? "even" : "message", "{\"n\":" + n + ",\"s\":\"v" + n + "\"}"));
            publish(other, "{\"noise\":" + n + "}");
        }

        JsonNode all = history(topic, "");
        assertThat(ids(all)).as("only this topic's events, oldest first").containsExactlyElementsOf(ids);
        for (int i = 0; i < 5; i++) {
            JsonNode event = all.get(i);
            assertThat(event.fieldNames()).toIterable().containsExactlyInAnyOrder("id", "topic", "type", "time", "data");
            assertThat(event.path("id").asText()).isEqualTo(ids.get(i));
            assertThat(event.path("topic").asText()).isEqualTo(topic);
            assertThat(event.path("type").asText()).isEqualTo((i + 1) % 2 == 0 ? "even" : "message");
            Instant time = Instant.parse(event.path("time").asText());
            assertThat(time).isAfter(before).isBefore(Instant.now().plusSeconds(1));
            assertThat(event.path("data").path("n").intValue()).isEqualTo(i + 1);
            assertThat(event.path("data").path("s").asText()).isEqualTo("v" + (i + 1));
        }

        JsonNode page = history(topic, "?after=" + ids.get(1) + "&limit=2");
        assertThat(ids(page)).containsExactly(ids.get(2), ids.get(3));

        assertThat(ids(history(topic, "?after=" + ids.get(1)))).containsExactly(ids.get(2), ids.get(3), ids.get(4));
        assertThat(ids(history(topic, "?limit=2"))).containsExactly(ids.get(0), ids.get(1));
        assertThat(ids(history(topic, "?after=" + ids.get(4)))).as("nothing after the newest").isEmpty();
    }

    @Test
    void pagesByLimitFollowingLinkToTheEndMissNothingAndRepeatNothing() {
        String topic = "history/" + UUID.randomUUID();
        List<String> published = new ArrayList<>();
        for (int n = 0; n < 21; n++) {
            published.add(publish(topic, "{\"n\":" + n + "}"));
            publish(topic + "/other", "{\"noise\":" + n + "}");
        }

        List<Page> pages = followLinks("/api/v1/topics/" + topic + "/events?limit=7");

        assertThat(pages).extracting(page -> page.events().size()).containsExactly(7, 7, 7);
        assertThat(pages.get(0).next()).isEqualTo("/api/v1/topics/" + topic + "/events?after=" + published.get(6) + "&limit=7");
        assertThat(pages.get(1).next()).isEqualTo("/api/v1/topics/" + topic + "/events?after=" + published.get(13) + "&limit=7");
        assertThat(pages.get(2).next()).as("no Link after the last event, even on a full page").isNull();
        assertThat(pages.stream().flatMap(page -> ids(page.events()).stream()).toList())
                .as("every event once, in order").containsExactlyElementsOf(published);
    }

    @Test
    void pagesAreCappedInBytesAndAFullReadStillGetsEverything() {
        String topic = "history/" + UUID.randomUUID();
        List<String> published = new ArrayList<>();
        for (int n = 0; n < 40; n++) {
            published.add(publish(topic, "{\"n\":" + n + ",\"pad\":\"" + "p".repeat(60_000) + "\"}"));
        }

        List<Page> pages = followLinks("/api/v1/topics/" + topic + "/events?limit=1000");

        assertThat(pages).as("40 events of 60 kB do not fit one page of %d bytes", MAX_READ_BYTES).hasSizeGreaterThanOrEqualTo(3);
        pages.forEach(page -> assertThat(page.bytes()).isLessThanOrEqualTo(MAX_READ_BYTES));
        pages.subList(0, pages.size() - 1).forEach(page -> {
            assertThat(page.events().size()).as("a page stops at the byte cap, not the limit").isBetween(1, 39);
            assertThat(page.next()).isNotNull();
        });
        assertThat(pages.stream().flatMap(page -> ids(page.events()).stream()).toList())
                .as("every event once, in order").containsExactlyElementsOf(published);
        pages.forEach(page -> page.events().forEach(event ->
                assertThat(event.path("data").path("pad").asText()).hasSize(60_000)));
    }

    @Test
    void lastGivesTheNewestEventsOldestFirst() {
        String topic = "history/" + UUID.randomUUID();
        List<String> published = new ArrayList<>();
        for (int n = 0; n < 5; n++) {
            published.add(publish(topic, "{\"n\":" + n + "}"));
            publish(topic + "/other", "{\"noise\":" + n + "}");
        }

        assertThat(ids(history(topic, "?last=3"))).containsExactlyElementsOf(published.subList(2, 5));
        assertThat(ids(history(topic, "?last=1"))).containsExactly(published.get(4));
        assertThat(ids(history(topic, "?last=1000"))).containsExactlyElementsOf(published);
        assertThat(history(topic + "/never", "?last=50")).isEmpty();
        Response response = given().when().get("/api/v1/topics/" + topic + "/events?last=2");
        assertThat(response.header("Link")).isNull();
    }

    @Test
    void lastIsCappedInBytesKeepingTheNewest() {
        String topic = "history/" + UUID.randomUUID();
        List<String> published = new ArrayList<>();
        for (int n = 0; n < 20; n++) {
            published.add(publish(topic, "{\"pad\":\"" + "p".repeat(60_000) + "\"}"));
        }

        Response response = given().when().get("/api/v1/topics/" + topic + "/events?last=20");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat((long) response.asByteArray().length).isLessThanOrEqualTo(MAX_READ_BYTES);
        List<String> ids = ids(Problems.parse("last", response.asString()));
        assertThat(ids).hasSizeBetween(1, 19);
        assertThat(ids).as("the newest that fit, oldest first").containsExactlyElementsOf(
                published.subList(published.size() - ids.size(), published.size()));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = { "?last=0", "?last=1001", "?last=-1", "?last=ten", "?last=2&after=1-0",
            "?last=2&limit=2", "?limit=0", "?limit=1001", "?after=nope" })
    void badHistoryQueriesAre400(String query) {
        String topic = "history/" + UUID.randomUUID();
        publish(topic, "{\"n\":1}");
        Response response = given().urlEncodingEnabled(false).when().get("/api/v1/topics/" + topic + "/events" + query);
        Problems.assertProblem(query, response.statusCode(), response.contentType(), response.asString(), 400);
    }

    @Test
    void readingAfterAnIdNoLongerRetainedIs410() {
        String topic = "history/" + UUID.randomUUID();
        publish(topic, "{\"n\":1}");
        Response response = given().when().get("/api/v1/topics/" + topic + "/events?after=1-0");
        Problems.assertProblem("after=1-0", response.statusCode(), response.contentType(), response.asString(), 410);
    }

    /**
     * 1 000 publishes of 64 KiB bodies, far more than the test profile's byte bound: the retained
     * bytes reported by the gauge never exceed the bound and the newest events stay readable.
     */
    @Test
    void manyLargePublishesKeepRetainedBytesWithinTheBound() throws Exception {
        String topic = "history/" + UUID.randomUUID();
        String body = "{\"data\":\"" + "b".repeat(64 * 1024 - "{\"data\":\"\"}".length()) + "\"}";
        assertThat(body).hasSize(64 * 1024);
        HttpRequest publish = HttpRequest.newBuilder(root.resolve("/api/v1/topics/" + topic + "/events"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
        List<String> published = new ArrayList<>();
        for (int n = 1; n <= 1000; n++) {
            HttpResponse<String> answer = HTTP.send(publish, HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).as("publish #%d: %s", n, answer.body()).isEqualTo(201);
            published.add(Problems.parse("published", answer.body()).path("id").asText());
            if (n % 100 == 0) {
                String metrics = Metrics.scrape();
                assertThat(Metrics.value(metrics, "tidings_history_bytes", null))
                        .as("retained bytes after %d publishes", n).isLessThanOrEqualTo(MAX_HISTORY_BYTES);
                assertThat(Metrics.value(metrics, "tidings_history_events", null)).isPositive();
            }
        }

        String metrics = Metrics.scrape();
        double retainedBytes = Metrics.value(metrics, "tidings_history_bytes", null);
        double retainedEvents = Metrics.value(metrics, "tidings_history_events", null);
        assertThat(retainedBytes).isLessThanOrEqualTo(MAX_HISTORY_BYTES).isGreaterThan(MAX_HISTORY_BYTES - 2 * 66_000);
        assertThat(retainedEvents).as("as many 64 KiB events as the bound holds").isBetween(50.0, 64.0);

        List<String> newest = ids(history(topic, "?last=10"));
        assertThat(newest).containsExactlyElementsOf(published.subList(990, 1000));
        assertThat(ids(history(topic, "?after=" + published.get(997)))).containsExactly(published.get(998), published.get(999));
        Response gone = given().when().get("/api/v1/topics/" + topic + "/events?after=" + published.get(0));
        assertThat(gone.statusCode()).as("the oldest left history").isEqualTo(410);
    }

    /** Reads page after page, following each {@code Link: <…>; rel="next"}. */
    private static List<Page> followLinks(String first) {
        List<Page> pages = new ArrayList<>();
        String next = first;
        while (next != null) {
            assertThat(pages).as("pages read so far").hasSizeLessThan(100);
            Response response = given().urlEncodingEnabled(false).when().get(next);
            assertThat(response.statusCode()).as("GET %s: %s", next, response.asString()).isEqualTo(200);
            assertThat(response.contentType()).startsWith("application/json");
            JsonNode events = Problems.parse(next, response.asString());
            String link = response.header("Link");
            if (link != null) {
                Matcher matcher = NEXT.matcher(link);
                assertThat(matcher.matches()).as("Link header %s", link).isTrue();
                next = matcher.group(1);
            } else {
                next = null;
            }
            pages.add(new Page(events, response.asByteArray().length, next));
        }
        return pages;
    }

    private record Page(JsonNode events, long bytes, String next) {
    }

    @Test
    void historyOfATopicWithNothingRetainedIsAnEmptyArray() {
        assertThat(history("history/" + UUID.randomUUID() + "/never", "")).isEmpty();
    }

    @Test
    void topicsListsTheTopicWithItsLastEventIdAndSubscriberCount() {
        String topic = "listing/" + UUID.randomUUID() + "/feed";
        publish(topic, "{\"n\":1}");
        String last = publish(topic, "{\"n\":2}");

        assertThat(await().atMost(WAIT).until(() -> entry(topic), entry -> entry != null && entry.path("subscribers").intValue() == 0)
                .path("lastEventId").asText()).isEqualTo(last);

        try (SseTestClient exact = SseTestClient.open(root.resolve("/api/v1/events?topic=" + topic))) {
            assertThat(exact.status()).isEqualTo(200);
            assertThat(exact.next().retry()).isNotNull();
            JsonNode entry = await().atMost(WAIT).until(() -> entry(topic), e -> e.path("subscribers").intValue() == 1);
            assertThat(entry.path("lastEventId").asText()).isEqualTo(last);
            assertThat(entry.fieldNames()).toIterable().contains("topic", "subscribers", "lastEventId");
        }
        await().atMost(WAIT).untilAsserted(() -> assertThat(entry(topic).path("subscribers").intValue())
                .as("subscriber gone after close").isZero());

        String pattern = topic.substring(0, topic.indexOf('/')) + "/*/feed";
        try (SseTestClient wildcard = SseTestClient.open(root.resolve("/api/v1/events?topic=" + pattern))) {
            assertThat(wildcard.status()).isEqualTo(200);
            assertThat(wildcard.next().retry()).isNotNull();
            await().atMost(WAIT).untilAsserted(() -> assertThat(entry(topic).path("subscribers").intValue())
                    .as("pattern subscriber counted for %s", topic).isEqualTo(1));

            try (SseTestClient both = SseTestClient.open(root.resolve("/api/v1/events?topic=" + topic))) {
                assertThat(both.next().retry()).isNotNull();
                await().atMost(WAIT).untilAsserted(() -> assertThat(entry(topic).path("subscribers").intValue())
                        .as("exact and pattern subscribers").isEqualTo(2));
            }
            // The pattern itself is not listed as a topic.
            assertThat(topics()).noneMatch(e -> e.path("topic").asText().equals(pattern));
        }
        await().atMost(WAIT).untilAsserted(() -> assertThat(entry(topic).path("subscribers").intValue()).isZero());
    }

    @Test
    void topicWithASubscriberButNoEventIsListedWithoutLastEventId() {
        String topic = "listing/" + UUID.randomUUID() + "/quiet";
        try (SseTestClient client = SseTestClient.open(root.resolve("/api/v1/events?topic=" + topic))) {
            assertThat(client.next().retry()).isNotNull();
            JsonNode entry = await().atMost(WAIT).until(() -> entry(topic), e -> e != null);
            assertThat(entry.path("subscribers").intValue()).isEqualTo(1);
            assertThat(entry.path("lastEventId").isMissingNode() || entry.path("lastEventId").isNull())
                    .as("no lastEventId yet: %s", entry).isTrue();
        }
        await().atMost(WAIT).untilAsserted(() -> assertThat(entry(topic)).as("unlisted once nobody listens").isNull());
    }

    private static List<JsonNode> topics() {
        String body = given().when().get("/api/v1/topics").then().statusCode(200).extract().asString();
        JsonNode list = Problems.parse("topics", body);
        assertThat(list.isArray()).as("topics is a JSON array: %s", body).isTrue();
        List<JsonNode> entries = new ArrayList<>();
        list.forEach(entries::add);
        return entries;
    }

    private static JsonNode entry(String topic) {
        return topics().stream().filter(e -> topic.equals(e.path("topic").asText())).findFirst().orElse(null);
    }
}
