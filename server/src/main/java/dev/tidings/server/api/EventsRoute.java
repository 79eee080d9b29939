package dev.tidings.server.api;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import dev.tidings.server.config.TidingsConfig;
import dev.tidings.server.hub.InvalidTopicException;
import dev.tidings.server.hub.Presence;
import dev.tidings.server.hub.TopicFamilies;
import dev.tidings.server.limits.RateLimitedException;
import dev.tidings.server.security.AccessDeniedException;
import dev.tidings.server.sse.SseStream;
import dev.tidings.server.sse.StreamFamily;
import dev.tidings.server.sse.StreamRefusedException;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * The general stream, {@code GET /api/v1/events}: any topics and patterns on one connection. It is
 * the fan-out hot path, so it is a Vert.x route whose stream is written by the SSE package's own
 * writer (shared encoded bytes per event) rather than by Quarkus REST, which frames every event
 * again for every subscriber; the stream itself is the same model as the other streams. With
 * {@code join=<room>} the stream counts as a member of that chat room, as a room's own stream does,
 * so a browser that carries all its tabs' topics on one stream is one member of each room.
 */
@ApplicationScoped
public class EventsRoute {

    private final Subscribing subscribing;
    private final Presence presence;
    private final TidingsConfig config;

    public EventsRoute(Subscribing subscribing, Presence presence, TidingsConfig config) {
        this.subscribing = subscribing;
        this.presence = presence;
        this.config = config;
    }

    void register(@Observes Router router) {
        router.get("/api/v1/events").handler(this::open);
    }

    private void open(RoutingContext context) {
        try {
            List<String> topics = context.queryParam("topic");
            if (topics.isEmpty()) {
                throw ProblemException.badRequest("Give at least one 'topic' query parameter");
            }
            String lastEventId = StreamRequests.lastEventId(context.request().getHeader(StreamRequests.LAST_EVENT_ID_HEADER),
                    context.queryParams().get("lastEventId"));
            List<String> rooms = context.queryParam("join").stream().distinct().toList();
            for (String room : rooms) {
                if (!topics.contains(TopicFamilies.chat(room))) {
                    throw ProblemException.badRequest("join=" + room + " needs the room's topic too: topic=chat/" + room);
                }
            }
            SseStream stream = subscribing.topics(StreamFamily.EVENTS, StreamRequests.filter(topics, config), lastEventId,
                    context.request(), context.response());
            for (String room : rooms) {
                stream.onClose(() -> presence.leave(room));
                // Joined once subscribed, so the new member's first presence count includes it.
                presence.join(room);
            }
            stream.writeTo(context.response());
        } catch (InvalidTopicException e) {
            ProblemResponses.send(context.response(), ProblemException.badRequest(e.getMessage()));
        } catch (ProblemException e) {
            ProblemResponses.send(context.response(), e);
        } catch (StreamRefusedException e) {
            ProblemResponses.send(context.response(), ProblemMappers.problem(e));
        } catch (AccessDeniedException e) {
            ProblemResponses.send(context.response(), ProblemMappers.problem(e));
        } catch (RateLimitedException e) {
            ProblemResponses.send(context.response(), ProblemMappers.problem(e));
        }
    }
}
