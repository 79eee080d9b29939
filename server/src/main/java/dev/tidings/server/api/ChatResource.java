package dev.tidings.server.api;

import java.util.Set;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;

import org.eclipse.microprofile.openapi.annotations.Operation;

import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.RestResponse;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.tidings.server.hub.EventTypes;
import dev.tidings.server.hub.Presence;
import dev.tidings.server.hub.TopicFamilies;
import dev.tidings.server.hub.TopicFilter;
import dev.tidings.server.sse.SseStream;
import dev.tidings.server.sse.StreamFamily;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import dev.tidings.server.security.Access;
import dev.tidings.server.security.Caller;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

/** A chat room, topic {@code chat/<room>}: its stream with presence, and posting to it. */
@Path("/api/v1/chat/{room}")
public class ChatResource {

    static final int MAX_TEXT = 4000;
    static final int MAX_AUTHOR = 64;
    private static final Set<String> FIELDS = Set.of("author", "text");

    private final JsonBodies bodies;
    private final Publishing publishing;
    private final Subscribing subscribing;
    private final Presence presence;
    private final Access access;

    public ChatResource(JsonBodies bodies, Publishing publishing, Subscribing subscribing, Presence presence,
            Access access) {
        this.bodies = bodies;
        this.publishing = publishing;
        this.subscribing = subscribing;
        this.presence = presence;
        this.access = access;
    }

    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Operation(summary = "SSE stream of a room: message events, and presence when the member count changes")
    public Multi<OutboundSseEvent> stream(@RestPath String room,
            @RestHeader(StreamRequests.LAST_EVENT_ID_HEADER) String lastEventIdHeader, @RestQuery String lastEventId,
            @Context HttpServerRequest request, @Context HttpServerResponse response) {
        SseStream stream = subscribing.topics(StreamFamily.CHAT, TopicFilter.of(TopicFamilies.chat(room)),
                StreamRequests.lastEventId(lastEventIdHeader, lastEventId), request, response);
        stream.onClose(() -> presence.leave(room));
        // Joined once subscribed, so the new member's first presence count includes it.
        presence.join(room);
        return stream.multi();
    }

    @POST
    @Path("messages")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<RestResponse<Published>> send(@RestPath String room, byte[] body, @Context HttpServerRequest http) {
        String topic = TopicFamilies.chat(room);
        Caller caller = access.checkPublish(http, topic);
        ObjectNode request = bodies.object(body, FIELDS);
        // A token speaks for its holder: the body's author is taken only from anonymous senders.
        String author = caller.displayName().map(ChatResource::asAuthor)
                .orElseGet(() -> JsonBodies.text(request, "author", 1, MAX_AUTHOR));
        ObjectNode message = JsonNodeFactory.instance.objectNode()
                .put("author", author)
                .put("text", JsonBodies.text(request, "text", 1, MAX_TEXT));
        return publishing.publish(topic, EventTypes.DEFAULT, message);
    }

    private static String asAuthor(String name) {
        return name.length() <= MAX_AUTHOR ? name : name.substring(0, MAX_AUTHOR);
    }
}
