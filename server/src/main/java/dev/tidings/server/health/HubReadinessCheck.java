package dev.tidings.server.health;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import dev.tidings.server.hub.Hub;
import dev.tidings.server.sse.OpenStreams;

/** Ready while the hub takes publishes and streams; down from the start of shutdown. */
@Readiness
@ApplicationScoped
public class HubReadinessCheck implements HealthCheck {

    private final Hub hub;
    private final OpenStreams streams;

    public HubReadinessCheck(Hub hub, OpenStreams streams) {
        this.hub = hub;
        this.streams = streams;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("hub")
                .status(hub.isReady())
                .withData("openStreams", streams.count())
                .withData("subscribers", hub.subscriberCount())
                .build();
    }
}
