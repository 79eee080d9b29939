package dev.tidings.server.sse;

import static dev.tidings.server.support.Publisher.publish;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.client.SseEvent;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.Cancellable;

/** A Quarkus application consuming a stream through a typed REST client. */
@QuarkusTest
class RestClientStreamTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(10);

    @RegisterRestClient
    @Path("/api/v1")
    public interface EventsClient {

        @GET
        @Path("/events")
        @Produces(MediaType.SERVER_SENT_EVENTS)
        Multi<SseEvent<String>> events(@RestQuery List<String> topic);
    }

    @TestHTTPResource("/")
    URI base;

    @Test
    void aRestClientReceivesEventsWithIdTypeAndData() {
        String orders = "restclient/orders";
        String alerts = "notifications/restclient";
        EventsClient client = QuarkusRestClientBuilder.newBuilder().baseUri(base).build(EventsClient.class);

        List<SseEvent<String>> received = new CopyOnWriteArrayList<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Cancellable subscription = client.events(List.of(orders, alerts)).subscribe()
                .with(received::add, failure::set);
        try {
            // The stream is open once the server counts this client as a subscriber of both topics.
            await().atMost(WAIT).untilAsserted(() -> {
                assertThat(failure.get()).isNull();
                assertThat(subscribers(orders)).isEqualTo(1);
                assertThat(subscribers(alerts)).isEqualTo(1);
            });

            List<String> ids = List.of(
                    publish(orders, "{\"order\":1}"),
                    publish(alerts, "notification", "{\"title\":\"disk\"}"),
                    publish(orders, "order.paid", "{\"order\":1,\"paid\":true}"));

            await().atMost(WAIT).untilAsserted(() -> {
                assertThat(failure.get()).isNull();
                assertThat(events(received)).hasSize(3);
            });
            List<SseEvent<String>> events = events(received);
            assertThat(events).extracting(SseEvent::id).containsExactlyElementsOf(ids);
            assertThat(events).extracting(SseEvent::name).containsExactly("message", "notification", "order.paid");

            JsonNode first = parse(events.get(0).data());
            assertThat(first.path("id").asText()).isEqualTo(ids.get(0));
            assertThat(first.path("topic").asText()).isEqualTo(orders);
            assertThat(first.path("data").path("order").asInt()).isEqualTo(1);
            JsonNode second = parse(events.get(1).data());
            assertThat(second.path("topic").asText()).isEqualTo(alerts);
            assertThat(second.path("type").asText()).isEqualTo("notification");
            assertThat(second.path("data").path("title").asText()).isEqualTo("disk");
            JsonNode third = parse(events.get(2).data());
            assertThat(third.path("topic").asText()).isEqualTo(orders);
            assertThat(third.path("data").path("paid").asBoolean()).isTrue();
        } finally {
            subscription.cancel();
        }
    }

    /** Events proper: the client also surfaces the retry block and heartbeat comments, which carry no type. */
    private static List<SseEvent<String>> events(List<SseEvent<String>> received) {
        return received.stream().filter(event -> event.name() != null).toList();
    }

    private static int subscribers(String topic) {
        List<Integer> counts = given().when().get("/api/v1/topics")
                .then().statusCode(200)
                .extract().jsonPath().getList("findAll { it.topic == '" + topic + "' }.subscribers", Integer.class);
        return counts.isEmpty() ? 0 : counts.get(0);
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new AssertionError("Not JSON: " + json, e);
        }
    }
}
