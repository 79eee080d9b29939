package dev.tidings.server.health;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Startup;

import dev.tidings.server.hub.Hub;

/** Started once the hub exists, which creating this check forces. */
@Startup
@ApplicationScoped
public class HubStartupCheck implements HealthCheck {

    private final Hub hub;

    public HubStartupCheck(Hub hub) {
        this.hub = hub;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("hub").status(hub != null).build();
    }
}
