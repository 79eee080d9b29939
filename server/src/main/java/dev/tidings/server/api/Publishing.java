package dev.tidings.server.api;

import jakarta.inject.Singleton;

import org.jboss.resteasy.reactive.RestResponse;

import com.fasterxml.jackson.databind.JsonNode;

import dev.tidings.server.hub.Hub;
import dev.tidings.server.hub.HubUnavailableException;
import io.smallrye.mutiny.Uni;

/** Hands a checked event to the hub and turns the outcome into 201 or 503. */
@Singleton
public class Publishing {

    private final Hub hub;
    private final JsonBodies bodies;

    public Publishing(Hub hub, JsonBodies bodies) {
        this.hub = hub;
        this.bodies = bodies;
    }

    public Uni<RestResponse<Published>> publish(String topic, String type, JsonNode data) {
        return Uni.createFrom().completionStage(() -> hub.publish(topic, type, bodies.compact(data)))
                .onFailure(HubUnavailableException.class)
                .transform(failure -> ProblemException.unavailable(failure.getMessage()))
                .map(event -> RestResponse.status(RestResponse.Status.CREATED, Published.of(event)));
    }
}
