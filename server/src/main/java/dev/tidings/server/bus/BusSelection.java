package dev.tidings.server.bus;

import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import dev.tidings.server.config.TidingsConfig;
import dev.tidings.server.hub.Bus;
import io.quarkus.runtime.ShutdownEvent;

/** The bus {@code tidings.bus} names: only that one is created, so the embedded default never touches Redis. */
@Singleton
public class BusSelection {

    private volatile Bus selected;

    @Produces
    @Singleton
    Bus bus(TidingsConfig config, Instance<LocalBus> local, Instance<RedisBus> redis) {
        selected = switch (config.bus()) {
            case LOCAL -> local.get();
            case REDIS -> redis.get();
        };
        return selected;
    }

    /**
     * Stops the bus on {@code ShutdownEvent}, after the streams ended and while Quarkus's Redis client
     * is still open (it closes its connections before beans are destroyed).
     */
    void stop(@Observes ShutdownEvent event) {
        if (selected != null) {
            selected.stop();
        }
    }
}
