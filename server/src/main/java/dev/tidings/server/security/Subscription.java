package dev.tidings.server.security;

import java.time.Instant;
import java.util.Optional;

import dev.tidings.server.hub.TopicFilter;

/**
 * What a caller may stream: the topics asked for, with wildcards kept off topics it may not read,
 * until its token expires (empty: no end).
 */
public record Subscription(TopicFilter filter, Optional<Instant> endsAt) {
}
