package dev.tidings.server.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

/** Every {@code tidings.*} setting; README's configuration table mirrors this interface. */
@ConfigMapping(prefix = "tidings")
public interface TidingsConfig {

    /** Which bus carries events between replicas and keeps the history. */
    enum BusKind {
        /** One process, history in memory: the embedded default. */
        LOCAL,
        /** Many replicas sharing one history in a Redis Stream ({@code quarkus.redis.hosts}). */
        REDIS
    }

    @WithDefault("local")
    BusKind bus();

    Redis redis();

    Sse sse();

    History history();

    Publish publish();

    Topics topics();

    Limits limits();

    /** The Redis bus ({@code tidings.bus=redis}); the address is Quarkus's {@code quarkus.redis.hosts}. */
    interface Redis {
        /** Prefix of every key the bus uses. */
        @WithDefault("tidings:")
        String prefix();

        /** Longest wait for Redis to answer a command; past it the publish gets 503 or the reader reconnects. */
        @WithDefault("2s")
        Duration timeout();

        /** A replica that has not checked in for this long is taken as gone: its chat members stop counting. */
        @WithDefault("15s")
        Duration replicaExpiry();
    }

    interface Sse {
        /** Reconnection delay the stream advertises in its opening {@code retry:} field. */
        @WithDefault("3s")
        Duration retry();

        /**
         * Reconnection delay a stream ended by shutdown is told last: its client resumes on another
         * replica this soon instead of after {@link #retry()}, since nothing is wrong there.
         */
        @WithDefault("1s")
        Duration shutdownRetry();

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

        /** Topics anyone may publish to without a token; every other topic needs a token's publish pattern. */
        @WithDefault("chat/**,notifications/**")
        List<String> anonymous();
    }

    /** Who may subscribe to what; {@code {sub}} in a pattern stands for the token's subject. */
    interface Topics {
        /** Topics a subscriber needs a token for, one whose {@code subscribe} patterns cover them. */
        @WithName("private")
        @WithDefault("private/**,users/**")
        List<String> restricted();

        /** A token's own inbox: any valid token may subscribe to it, with no claim needed. */
        @WithDefault("users/{sub}/**")
        List<String> personal();
    }

    /** Per-client limits; a client is a token's subject, else the remote address. */
    interface Limits {
        /** Publishes per second one client may sustain. */
        @WithDefault("200")
        int publishRate();

        /** Publishes one client may make at once above that rate, after a quiet spell. */
        @WithDefault("1000")
        int publishBurst();

        /** Streams one client may hold open at once. */
        @WithDefault("1000")
        int streams();

        /** Addresses of proxies whose {@code X-Forwarded-For} names the client; no other sender's is believed. */
        Optional<List<String>> trustedProxies();
    }
}
