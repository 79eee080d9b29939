package dev.tidings.server.api;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.RestResponse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.tidings.server.config.TidingsConfig;
import dev.tidings.server.hub.EventId;
import dev.tidings.server.hub.EventTypes;
import dev.tidings.server.hub.Hub;
import dev.tidings.server.hub.TopicInfo;
import dev.tidings.server.hub.TopicPattern;
import dev.tidings.server.security.Access;
import dev.tidings.server.security.Caller;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;

/** Publishing to any topic, reading a topic's retained history, listing active topics. */
@Path("/api/v1/topics")
@Produces(MediaType.APPLICATION_JSON)
public class TopicsResource {

    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;

    private final Hub hub;
    private final JsonBodies bodies;
    private final Publishing publishing;
    private final long maxReadBytes;
    private final Access access;

    public TopicsResource(Hub hub, JsonBodies bodies, Publishing publishing, TidingsConfig config, Access access) {
        this.hub = hub;
        this.bodies = bodies;
        this.publishing = publishing;
        this.access = access;
        this.maxReadBytes = config.history().maxReadBytes().asLongValue();
    }

    @POST
    @Path("/{topic: .+}/events")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<RestResponse<Published>> publish(@RestPath String topic, byte[] body, @Context HttpServerRequest request) {
        String name = TopicPattern.requireTopic(topic);
        access.checkPublish(request, name);
        ObjectNode event = bodies.object(body, Set.of("type", "data"));
        String type = Optional.ofNullable(JsonBodies.text(event, "type", 0, 64)).orElse(EventTypes.DEFAULT);
        String problem = EventTypes.whyNotPublishable(type);
        if (problem != null) {
            throw ProblemException.badRequest(problem);
        }
        JsonNode data = event.get("data");
        return publishing.publish(name, type, data);
    }

    /**
     * Retained events of one topic, oldest first, as a JSON array of envelopes: a page of at most
     * {@code limit} events and {@code tidings.history.max-read-bytes}, with a {@code Link} to the
     * next page when more remain; or, with {@code last}, the newest events within the same caps.
     */
    @GET
    @Path("/{topic: .+}/events")
    public Uni<RestResponse<byte[]>> history(@RestPath String topic, @RestQuery String after,
            @RestQuery String limit, @RestQuery String last, @Context HttpServerRequest request) {
        String name = TopicPattern.requireTopic(topic);
        access.checkRead(request, name);
        if (last != null) {
            if (after != null || limit != null) {
                throw ProblemException.badRequest("'last' cannot be combined with 'after' or 'limit'");
            }
            int count = count("last", last, DEFAULT_LIMIT);
            return Uni.createFrom().completionStage(() -> hub.last(name, count))
                    .map(events -> RestResponse.ok(EnvelopeArray.of(EnvelopeArray.newestWithin(events, maxReadBytes))));
        }
        int max = count("limit", limit, DEFAULT_LIMIT);
        if (after != null && EventId.parse(after).isEmpty()) {
            throw ProblemException.badRequest("'after' is an event id such as 1795259491961-0");
        }
        long envelopeBytes = maxReadBytes - EnvelopeArray.framing(max);
        return Uni.createFrom().completionStage(() -> hub.read(name, Optional.ofNullable(after), max, envelopeBytes))
                .map(page -> {
                    RestResponse.ResponseBuilder<byte[]> answer = RestResponse.ResponseBuilder.ok(EnvelopeArray.of(page.events()));
                    if (page.more()) {
                        String lastId = page.events().get(page.events().size() - 1).idText();
                        answer.header("Link", "</api/v1/topics/" + name + "/events?after=" + lastId + "&limit=" + max
                                + ">; rel=\"next\"");
                    }
                    return answer.build();
                });
    }

    /** The topics the caller may subscribe to. */
    @GET
    public Uni<List<TopicInfo>> topics(@Context HttpServerRequest request) {
        Caller caller = access.caller(request);
        return Uni.createFrom().completionStage(hub::topics)
                .map(topics -> topics.stream().filter(info -> access.mayRead(caller, info.topic())).toList());
    }

    /** A count of events from 1 to {@link #MAX_LIMIT}. */
    private static int count(String parameter, String text, int absent) {
        if (text == null) {
            return absent;
        }
        try {
            int count = Integer.parseInt(text);
            if (count >= 1 && count <= MAX_LIMIT) {
                return count;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ProblemException.badRequest("'" + parameter + "' must be a whole number from 1 to " + MAX_LIMIT);
    }
}
