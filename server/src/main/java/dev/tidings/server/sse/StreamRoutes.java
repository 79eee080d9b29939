package dev.tidings.server.sse;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.function.Consumer;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import dev.tidings.server.api.ProblemException;
import dev.tidings.server.api.ProblemResponses;
import dev.tidings.server.config.TidingsConfig;
import dev.tidings.server.hub.Hub;
import dev.tidings.server.hub.InvalidTopicException;
import dev.tidings.server.hub.Presence;
import dev.tidings.server.hub.TopicFamilies;
import dev.tidings.server.hub.TopicFilter;
import io.netty.channel.EventLoop;
import io.vertx.core.impl.ContextInternal;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * The SSE endpoints. They are Vert.x routes rather than JAX-RS resources so that each event's
 * pre-encoded frame is written as is to every subscriber; a JAX-RS SSE response would frame
 * every event again for every subscriber.
 */
@ApplicationScoped
public class StreamRoutes {

    private static final String LAST_EVENT_ID_HEADER = "Last-Event-ID";
    private static final String LAST_EVENT_ID_PARAM = "lastEventId";
    private static final int MAX_LAST_EVENT_ID = 128;
    private static final Duration DEFAULT_PERIOD = Duration.ofSeconds(1);

    private final Hub hub;
    private final OpenStreams streams;
    private final Presence presence;
    private final TidingsConfig config;

    public StreamRoutes(Hub hub, OpenStreams streams, Presence presence, TidingsConfig config) {
        this.hub = hub;
        this.streams = streams;
        this.presence = presence;
        this.config = config;
    }

    void register(@Observes Router router) {
        router.get("/api/v1/events").handler(context -> serve(context, this::events));
        router.get("/api/v1/notifications").handler(context -> serve(context, this::notifications));
        router.get("/api/v1/chat/:room").handler(context -> serve(context, this::chat));
        router.get("/api/v1/timer").handler(context -> serve(context, this::timer));
    }

    private void serve(RoutingContext context, Consumer<RoutingContext> opener) {
        try {
            opener.accept(context);
        } catch (InvalidTopicException e) {
            ProblemResponses.send(context.response(), ProblemException.badRequest(e.getMessage()));
        } catch (ProblemException e) {
            ProblemResponses.send(context.response(), e);
        }
    }

    private void events(RoutingContext context) {
        List<String> topics = context.queryParam("topic");
        if (topics.isEmpty()) {
            throw ProblemException.badRequest("Give at least one 'topic' query parameter");
        }
        openTopicStream(context, StreamFamily.EVENTS, filter(topics));
    }

    private void notifications(RoutingContext context) {
        List<String> channels = context.queryParam("channel");
        TopicFilter filter = channels.isEmpty()
                ? TopicFilter.of(TopicFamilies.notificationsPattern("*"))
                : filter(channels.stream().map(TopicFamilies::notificationsPattern).toList());
        openTopicStream(context, StreamFamily.NOTIFICATIONS, filter);
    }

    private void chat(RoutingContext context) {
        String room = context.pathParam("room");
        TopicStream stream = openTopicStream(context, StreamFamily.CHAT, TopicFilter.of(TopicFamilies.chat(room)));
        // Joined after subscribing, so the new member receives the count that includes it.
        presence.join(room);
        stream.onClose(() -> presence.leave(room));
    }

    private void timer(RoutingContext context) {
        Duration period = period(context.queryParams().get("period"));
        String lastEventId = lastEventId(context);
        long lastSequence;
        try {
            lastSequence = lastEventId == null ? 0 : Long.parseLong(lastEventId);
        } catch (NumberFormatException e) {
            lastSequence = -1;
        }
        if (lastSequence < 0) {
            throw ProblemException.badRequest("A timer's last event id is the tick sequence number it saw last");
        }
        TimerStream stream = new TimerStream(context.request(), eventLoop(context), streams, period, lastSequence);
        streams.register(stream);
        stream.start();
    }

    private TopicStream openTopicStream(RoutingContext context, StreamFamily family, TopicFilter filter) {
        String lastEventId = lastEventId(context);
        TopicStream stream = new TopicStream(context.request(), eventLoop(context), family, streams, hub, filter,
                config.history().size());
        streams.register(stream);
        stream.start(lastEventId);
        return stream;
    }

    private TopicFilter filter(List<String> topicsOrPatterns) {
        if (topicsOrPatterns.size() > config.sse().maxTopics()) {
            throw ProblemException.badRequest("A stream may subscribe to at most " + config.sse().maxTopics()
                    + " topics or patterns");
        }
        return TopicFilter.of(topicsOrPatterns);
    }

    private static Duration period(String text) {
        if (text == null) {
            return DEFAULT_PERIOD;
        }
        Duration period;
        try {
            period = Duration.parse(text);
        } catch (DateTimeParseException e) {
            throw ProblemException.badRequest("'period' is an ISO-8601 duration such as PT1S or PT0.5S");
        }
        if (period.compareTo(TimerStream.MIN_PERIOD) < 0 || period.compareTo(TimerStream.MAX_PERIOD) > 0) {
            throw ProblemException.badRequest("'period' must be between PT0.1S and PT1H");
        }
        return period;
    }

    /** From the header, or the query parameter for clients that cannot set headers. */
    private static String lastEventId(RoutingContext context) {
        String id = context.request().getHeader(LAST_EVENT_ID_HEADER);
        if (id == null || id.isEmpty()) {
            id = context.queryParams().get(LAST_EVENT_ID_PARAM);
        }
        if (id == null || id.isEmpty()) {
            return null;
        }
        if (id.length() > MAX_LAST_EVENT_ID) {
            throw ProblemException.badRequest("The last event id is longer than " + MAX_LAST_EVENT_ID + " characters");
        }
        return id;
    }

    private static EventLoop eventLoop(RoutingContext context) {
        return ((ContextInternal) context.vertx().getOrCreateContext()).nettyEventLoop();
    }
}
