package dev.tidings.server.bus;

import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import dev.tidings.server.config.TidingsConfig;
import dev.tidings.server.hub.Bus;

/** The bus {@code tidings.bus} names: only that one is created, so the embedded default never touches Redis. */
@Singleton
public class BusSelection {

    @Produces
    @Singleton
    Bus bus(TidingsConfig config, Instance<LocalBus> local, Instance<RedisBus> redis) {
        return switch (config.bus()) {
            case LOCAL -> local.get();
            case REDIS -> redis.get();
        };
    }
}
