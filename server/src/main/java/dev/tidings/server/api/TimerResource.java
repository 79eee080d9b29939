package dev.tidings.server.api;

import java.time.Duration;
import java.time.format.DateTimeParseException;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestQuery;

import io.smallrye.mutiny.Multi;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

/** Per-connection ticks. */
@Path("/api/v1/timer")
public class TimerResource {

    static final Duration MIN_PERIOD = Duration.ofMillis(100);
    static final Duration MAX_PERIOD = Duration.ofHours(1);
    private static final Duration DEFAULT_PERIOD = Duration.ofSeconds(1);

    private final Subscribing subscribing;

    public TimerResource(Subscribing subscribing) {
        this.subscribing = subscribing;
    }

    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Operation(summary = "Ticks every period; Last-Event-ID n continues at n+1")
    public Multi<OutboundSseEvent> ticks(@RestQuery String period,
            @RestHeader(StreamRequests.LAST_EVENT_ID_HEADER) String lastEventIdHeader, @RestQuery String lastEventId,
            @Context HttpServerRequest request, @Context HttpServerResponse response) {
        return subscribing.timer(period(period), lastSequence(StreamRequests.lastEventId(lastEventIdHeader, lastEventId)),
                request, response).multi();
    }

    private static long lastSequence(String lastEventId) {
        if (lastEventId == null) {
            return 0;
        }
        try {
            long sequence = Long.parseLong(lastEventId);
            if (sequence >= 0 && sequence < Long.MAX_VALUE) {
                return sequence;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ProblemException.badRequest("A timer's last event id is the tick sequence number it saw last");
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
        if (period.compareTo(MIN_PERIOD) < 0 || period.compareTo(MAX_PERIOD) > 0) {
            throw ProblemException.badRequest("'period' must be between PT0.1S and PT1H");
        }
        return period;
    }
}
