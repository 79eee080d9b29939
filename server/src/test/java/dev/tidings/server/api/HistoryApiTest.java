package dev.tidings.server.api;

import static dev.tidings.server.support.Publisher.publish;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.tidings.server.support.Problems;
import dev.tidings.server.support.SseTestClient;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class HistoryApiTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

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
