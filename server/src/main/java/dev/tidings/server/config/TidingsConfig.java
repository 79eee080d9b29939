package dev.tidings.server.config;

import java.time.Duration;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Every {@code tidings.*} setting; README's configuration table mirrors this interface. */
@ConfigMapping(prefix = "tidings")
public interface TidingsConfig {

    Sse sse();

    History history();

    Publish publish();

    interface Sse {
        /** Reconnection delay the stream advertises in its opening {@code retry:} field. */
        @WithDefault("3s")
        Duration retry();

        /** A stream that wrote nothing for this long gets a {@code : hb} comment. */
        @WithDefault("15s")
        Duration heartbeat();

        /** Bytes a subscriber may have waiting to be sent before its stream is closed as too slow. */
        @WithDefault("256K")
        MemorySize queueSize();

        /** Open streams this replica accepts; beyond it a new stream gets 429. */
        @WithDefault("50000")
        int maxStreams();

        /** Topics or patterns one stream may subscribe to. */
        @WithDefault("32")
        int maxTopics();

        /** Most events a resuming stream replays; a client that missed more gets {@code reset}. */
        @WithDefault("10000")
        int maxReplay();
    }

    interface History {
        /** Events retained for replay, across all topics. */
        @WithDefault("10000")
        int size();

        /** How long an event is retained for replay. */
        @WithDefault("1h")
        Duration ttl();

        /** Envelope bytes retained for replay, across all topics: the oldest events leave first. */
        @WithDefault("64M")
        MemorySize maxBytes();

        /** Envelope bytes one history read answers at most (always at least one event). */
        @WithDefault("1M")
        MemorySize maxReadBytes();
    }

    interface Publish {
        /** Largest request body a publish endpoint accepts (413 beyond). */
        @WithDefault("64K")
        MemorySize maxBytes();

        /** Events waiting for fan-out on any one event loop; past it a publish gets 503. */
        @WithDefault("10000")
        int maxQueued();
    }
}
