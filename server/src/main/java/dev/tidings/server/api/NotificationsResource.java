package dev.tidings.server.api;

import java.net.URI;
import java.util.List;
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
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.RestResponse;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.tidings.server.config.TidingsConfig;
import dev.tidings.server.hub.EventTypes;
import dev.tidings.server.hub.TopicFamilies;
import dev.tidings.server.hub.TopicFilter;
import dev.tidings.server.sse.StreamFamily;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import dev.tidings.server.security.Access;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

/** Notifications, topics {@code notifications/<channel>}: their stream, and publishing one. */
@Path("/api/v1/notifications")
public class NotificationsResource {

    static final Set<String> LEVELS = Set.of("info", "success", "warning", "error");
    private static final Set<String> FIELDS = Set.of("channel", "title", "body", "level", "link");

    private final JsonBodies bodies;
    private final Publishing publishing;
    private final Subscribing subscribing;
    private final TidingsConfig config;
    private final Access access;

    public NotificationsResource(JsonBodies bodies, Publishing publishing, Subscribing subscribing, TidingsConfig config,
            Access access) {
        this.bodies = bodies;
        this.publishing = publishing;
        this.subscribing = subscribing;
        this.config = config;
        this.access = access;
    }

    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Operation(summary = "SSE stream of notification channels (all channels when none is given)")
    public Multi<OutboundSseEvent> stream(@RestQuery List<String> channel,
            @RestHeader(StreamRequests.LAST_EVENT_ID_HEADER) String lastEventIdHeader, @RestQuery String lastEventId,
            @Context HttpServerRequest request, @Context HttpServerResponse response) {
        TopicFilter filter = channel.isEmpty()
                ? TopicFilter.of(TopicFamilies.notificationsPattern("*"))
                : StreamRequests.filter(channel.stream().map(TopicFamilies::notificationsPattern).toList(), config);
        return subscribing.topics(StreamFamily.NOTIFICATIONS, filter,
                StreamRequests.lastEventId(lastEventIdHeader, lastEventId), request, response).multi();
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<RestResponse<Published>> publish(byte[] body, @Context HttpServerRequest http) {
        ObjectNode request = bodies.object(body, FIELDS);
        String channel = JsonBodies.text(request, "channel", 1, 256);
        String topic = TopicFamilies.notifications(channel);
        access.checkPublish(http, topic);
        String level = JsonBodies.text(request, "level", 1, 16);
        if (!LEVELS.contains(level)) {
            throw ProblemException.badRequest("Field 'level' must be one of info, success, warning, error");
        }
        ObjectNode notification = JsonNodeFactory.instance.objectNode()
                .put("channel", channel)
                .put("title", JsonBodies.text(request, "title", 1, 200))
                .put("level", level);
        String text = JsonBodies.text(request, "body", 0, 4000);
        if (text != null) {
            notification.put("body", text);
        }
        String link = JsonBodies.text(request, "link", 0, 2048);
        if (link != null) {
            notification.put("link", safeLink(link));
        }
        return publishing.publish(topic, EventTypes.NOTIFICATION, notification);
    }

    /** Only web links and site paths: a dashboard renders this as an href. */
    private static String safeLink(String link) {
        try {
            URI uri = new URI(link);
            String scheme = uri.getScheme();
            boolean web = "https".equalsIgnoreCase(scheme) || "http".equalsIgnoreCase(scheme);
            boolean sitePath = scheme == null && link.startsWith("/") && !link.startsWith("//");
            if (web || sitePath) {
                return link;
            }
        } catch (java.net.URISyntaxException e) {
            // answered below
        }
        throw ProblemException.badRequest("Field 'link' must be an http(s) URL or a path starting with '/'");
    }
}
