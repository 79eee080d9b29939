package dev.tidings.server.api;

import java.util.Set;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestResponse;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.tidings.server.hub.EventTypes;
import dev.tidings.server.hub.TopicFamilies;
import io.smallrye.mutiny.Uni;

/** Posting a message to a chat room, topic {@code chat/<room>}. */
@Path("/api/v1/chat/{room}/messages")
public class ChatResource {

    static final int MAX_TEXT = 4000;
    private static final Set<String> FIELDS = Set.of("author", "text");

    private final JsonBodies bodies;
    private final Publishing publishing;

    public ChatResource(JsonBodies bodies, Publishing publishing) {
        this.bodies = bodies;
        this.publishing = publishing;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<RestResponse<Published>> send(@RestPath String room, byte[] body) {
        String topic = TopicFamilies.chat(room);
        ObjectNode request = bodies.object(body, FIELDS);
        ObjectNode message = JsonNodeFactory.instance.objectNode()
                .put("author", JsonBodies.text(request, "author", 1, 64))
                .put("text", JsonBodies.text(request, "text", 1, MAX_TEXT));
        return publishing.publish(topic, EventTypes.DEFAULT, message);
    }
}
