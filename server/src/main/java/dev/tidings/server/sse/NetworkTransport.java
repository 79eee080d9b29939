package dev.tidings.server.sse;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.quarkus.runtime.ImageMode;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;

/**
 * Says at start-up which network transport carries the streams: epoll (one cheaper syscall per
 * fan-out write) or NIO and why, so a replica that costs more CPU per event explains itself.
 */
@ApplicationScoped
class NetworkTransport {

    private static final Logger LOG = Logger.getLogger(NetworkTransport.class);

    void report(@Observes StartupEvent started, Vertx vertx) {
        if (vertx.isNativeTransportEnabled()) {
            LOG.info("Streams use the epoll transport");
        } else if (ImageMode.current() == ImageMode.NATIVE_RUN) {
            // Quarkus builds native executables with Vert.x's transport fixed to the JDK's (a
            // substitution in quarkus-vertx), whatever quarkus.vertx.prefer-native-transport says.
            LOG.info("Streams use the NIO transport: a Quarkus native executable always runs Vert.x on NIO");
        } else {
            Throwable cause = vertx.unavailableNativeTransportCause();
            LOG.warnf("Streams use the NIO transport: epoll is unavailable (%s)",
                    cause == null ? "quarkus.vertx.prefer-native-transport=false" : cause.toString());
        }
    }
}
