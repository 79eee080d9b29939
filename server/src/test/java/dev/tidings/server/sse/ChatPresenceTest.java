package dev.tidings.server.sse;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import java.net.URI;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.tidings.server.support.SseTestClient;
import dev.tidings.server.support.SseTestClient.Frame;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

@QuarkusTest
class ChatPresenceTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TestHTTPResource("/api/v1/chat/")
    URI chat;

    @TestHTTPResource("/api/v1/events")
    URI events;

    @Test
    void membersJoiningAndLeavingArePublishedAsPresence() {
        String room = "presence-join-leave";
        try (SseTestClient a = SseTestClient.open(room(room))) {
            assertThat(a.status()).isEqualTo(200);
            assertPresence(a.nextEvent(), room, 1);

            try (SseTestClient b = SseTestClient.open(room(room))) {
                assertThat(b.status()).isEqualTo(200);
                assertPresence(b.nextEvent(), room, 2);
                assertPresence(a.nextEvent(), room, 2);
            }

            // B's connection is closed: A sees the count drop.
            assertPresence(a.nextEvent(), room, 1);
        }
    }

    @Test
    void aGeneralStreamThatJoinsARoomCountsAsOneMemberBesideTheRoomsOwnStreams() {
        String room = "presence-general-stream";
        try (SseTestClient a = SseTestClient.open(room(room))) {
            assertPresence(a.nextEvent(), room, 1);

            // One browser's shared stream: the room's topic and another, joined once even if asked twice.
            URI shared = URI.create(events + "?topic=notifications/*&topic=chat/" + room + "&join=" + room + "&join=" + room);
            try (SseTestClient b = SseTestClient.open(shared)) {
                assertThat(b.status()).isEqualTo(200);
                assertPresence(b.nextEvent(), room, 2);
                assertPresence(a.nextEvent(), room, 2);

                String id = send(room, "ann", "to both");
                Frame message = b.nextMatching(frame -> "message".equals(frame.event()));
                assertThat(message.id()).isEqualTo(id);
                assertThat(a.nextEvent().id()).isEqualTo(id);
            }

            assertPresence(a.nextEvent(), room, 1);
        }
    }

    @Test
    void joiningARoomWithoutItsTopicOrWithABadNameIs400() {
        given().queryParam("topic", "chat/elsewhere").queryParam("join", "lobby")
                .when().get(events)
                .then().statusCode(400).contentType("application/problem+json")
                .body("detail", containsString("topic=chat/lobby"));
        given().queryParam("topic", "chat/a").queryParam("join", "a/b")
                .when().get(events)
                .then().statusCode(400).contentType("application/problem+json");
    }

    @Test
    void aMessageWithLineBreaksArrivesAsOneEventWithItsTextIntact() {
        String room = "forged-frames";
        String text = "hi\r\n\r\ndata: forged";
        try (SseTestClient a = SseTestClient.open(room(room))) {
            assertThat(a.status()).isEqualTo(200);
            assertPresence(a.nextEvent(), room, 1);

            String id = send(room, "ann", text);
            Frame message = a.nextEvent();
            assertThat(message.event()).isEqualTo("message");
            assertThat(message.id()).isEqualTo(id);
            JsonNode envelope = parse(message.data());
            assertThat(envelope.path("topic").asText()).isEqualTo("chat/" + room);
            assertThat(envelope.path("type").asText()).isEqualTo("message");
            assertThat(envelope.path("data").path("author").asText()).isEqualTo("ann");
            assertThat(envelope.path("data").path("text").asText()).isEqualTo(text);

            // No forged frame follows: the next event is the marker sent after it.
            String marker = send(room, "ann", "marker");
            Frame next = a.nextEvent();
            assertThat(next.id()).isEqualTo(marker);
            assertThat(next.event()).isEqualTo("message");
            assertThat(parse(next.data()).path("data").path("text").asText()).isEqualTo("marker");
        }
    }

    private URI room(String room) {
        return chat.resolve(room);
    }

    private static String send(String room, String author, String text) {
        ObjectNode body = JsonNodeFactory.instance.objectNode().put("author", author).put("text", text);
        return given().contentType(ContentType.JSON)
                .body(body.toString())
                .when().post("/api/v1/chat/" + room + "/messages")
                .then().statusCode(201)
                .extract().path("id");
    }

    private static void assertPresence(Frame frame, String room, int members) {
        assertThat(frame.event()).as("%s", frame).isEqualTo("presence");
        JsonNode envelope = parse(frame.data());
        assertThat(envelope.path("topic").asText()).isEqualTo("chat/" + room);
        assertThat(envelope.path("type").asText()).isEqualTo("presence");
        JsonNode expected = JsonNodeFactory.instance.objectNode().put("room", room).put("members", members);
        assertThat(envelope.path("data")).isEqualTo(expected);
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new AssertionError("Not JSON: " + json, e);
        }
    }
}
