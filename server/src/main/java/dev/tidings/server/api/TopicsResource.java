package dev.tidings.server.api;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.RestResponse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.tidings.server.hub.Event;
import dev.tidings.server.hub.EventId;
import dev.tidings.server.hub.EventTypes;
import dev.tidings.server.hub.Hub;
import dev.tidings.server.hub.TopicInfo;
import dev.tidings.server.hub.TopicPattern;
import io.smallrye.mutiny.Uni;

/** Publishing to any topic, reading a topic's retained history, listing active topics. */
@Path("/api/v1/topics")
@Produces(MediaType.APPLICATION_JSON)
public class TopicsResource {

    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;

    private final Hub hub;
    private final JsonBodies bodies;
    private final Publishing publishing;

    public TopicsResource(Hub hub, JsonBodies bodies, Publishing publishing) {
        this.hub = hub;
        this.bodies = bodies;
        this.publishing = publishing;
    }

    @POST
    @Path("/{topic: .+}/events")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<RestResponse<Published>> publish(@RestPath String topic, byte[] body) {
        String name = TopicPattern.requireTopic(topic);
        ObjectNode event = bodies.object(body, Set.of("type", "data"));
        String type = Optional.ofNullable(JsonBodies.text(event, "type", 0, 64)).orElse(EventTypes.DEFAULT);
        String problem = EventTypes.whyNotPublishable(type);
        if (problem != null) {
            throw ProblemException.badRequest(problem);
        }
        JsonNode data = event.get("data");
        return publishing.publish(name, type, data);
    }

    /** Retained events of one topic, oldest first, as a JSON array of envelopes. */
    @GET
    @Path("/{topic: .+}/events")
    public Uni<String> history(@RestPath String topic, @RestQuery String after, @RestQuery String limit) {
        String name = TopicPattern.requireTopic(topic);
        int max = limit(limit);
        if (after != null && EventId.parse(after).isEmpty()) {
            throw ProblemException.badRequest("'after' is an event id such as 1795259491961-0");
        }
        return Uni.createFrom().completionStage(() -> hub.read(name, Optional.ofNullable(after), max))
                .map(events -> events.stream().map(e -> new String(e.envelope(), java.nio.charset.StandardCharsets.UTF_8)).collect(Collectors.joining(",", "[", "]")));
    }

    @GET
    public Uni<List<TopicInfo>> topics() {
        return Uni.createFrom().completionStage(hub::topics);
    }

    private static int limit(String text) {
        if (text == null) {
            return DEFAULT_LIMIT;
        }
        try {
            int limit = Integer.parseInt(text);
            if (limit >= 1 && limit <= MAX_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ProblemException.badRequest("'limit' must be a whole number from 1 to " + MAX_LIMIT);
    }
}
