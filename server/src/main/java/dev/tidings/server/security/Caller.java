package dev.tidings.server.security;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import dev.tidings.server.hub.TopicPattern;

/**
 * Who sent a request: anonymous, or the subject of a verified token with the topic patterns it
 * may publish and subscribe to ({@code {sub}} already replaced by the subject).
 */
public final class Caller {

    private static final Caller ANONYMOUS = new Caller(null, null, List.of(), List.of(), null);

    private final String subject;
    private final String name;
    private final List<TopicPattern> publish;
    private final List<TopicPattern> subscribe;
    private final Instant expiresAt;

    Caller(String subject, String name, List<TopicPattern> publish, List<TopicPattern> subscribe, Instant expiresAt) {
        this.subject = subject;
        this.name = name;
        this.publish = publish;
        this.subscribe = subscribe;
        this.expiresAt = expiresAt;
    }

    public static Caller anonymous() {
        return ANONYMOUS;
    }

    public boolean isAnonymous() {
        return subject == null;
    }

    public Optional<String> subject() {
        return Optional.ofNullable(subject);
    }

    /** The token's {@code name}, else its subject; empty for an anonymous caller. */
    public Optional<String> displayName() {
        return Optional.ofNullable(name != null && !name.isBlank() ? name : subject);
    }

    /** When the token stops being valid; empty for an anonymous caller or a token without {@code exp}. */
    public Optional<Instant> expiresAt() {
        return Optional.ofNullable(expiresAt);
    }

    List<TopicPattern> publishPatterns() {
        return publish;
    }

    List<TopicPattern> subscribePatterns() {
        return subscribe;
    }

    @Override
    public String toString() {
        return isAnonymous() ? "anonymous" : "subject " + subject;
    }
}
