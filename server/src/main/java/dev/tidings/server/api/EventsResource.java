package dev.tidings.server.api;

import java.util.List;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestQuery;

import dev.tidings.server.config.TidingsConfig;
import dev.tidings.server.sse.OpenStreams;
import dev.tidings.server.sse.StreamFamily;
import io.smallrye.mutiny.Multi;
import io.vertx.core.http.HttpServerResponse;

/** The general stream: any topics and patterns on one connection. */
@Path("/api/v1/events")
public class EventsResource {

    private final OpenStreams streams;
    private final TidingsConfig config;

    public EventsResource(OpenStreams streams, TidingsConfig config) {
        this.streams = streams;
        this.config = config;
    }

    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Operation(summary = "SSE stream of one or more topics or patterns")
    public Multi<OutboundSseEvent> stream(@RestQuery List<String> topic,
            @RestHeader(StreamRequests.LAST_EVENT_ID_HEADER) String lastEventIdHeader, @RestQuery String lastEventId,
            @Context HttpServerResponse response) {
        if (topic.isEmpty()) {
            throw ProblemException.badRequest("Give at least one 'topic' query parameter");
        }
        return streams.topics(StreamFamily.EVENTS, StreamRequests.filter(topic, config),
                StreamRequests.lastEventId(lastEventIdHeader, lastEventId), response, () -> {
                });
    }
}
