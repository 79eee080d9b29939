package dev.tidings.server.security;

import java.util.List;

import jakarta.inject.Singleton;

import dev.tidings.server.config.TidingsConfig;
import dev.tidings.server.hub.TopicFilter;
import dev.tidings.server.hub.TopicPattern;
import io.quarkus.runtime.Startup;
import io.vertx.core.http.HttpServerRequest;

/**
 * The one place that decides who may publish and subscribe to what (DESIGN.md, "Security
 * model"). Resources and stream openers ask it before they touch the hub.
 */
@Startup
@Singleton
public class Access {

    private final Callers callers;
    private final List<TopicPattern> anonymousPublish;
    private final List<TopicPattern> restricted;

    public Access(Callers callers, TidingsConfig config) {
        this.callers = callers;
        this.anonymousPublish = compile(config.publish().anonymous());
        this.restricted = compile(config.topics().restricted());
    }

    /** @throws AccessDeniedException 401 for a bad or expired token */
    public Caller caller(HttpServerRequest request) {
        return callers.of(request);
    }

    /**
     * The caller, once it may publish to {@code topic}: anyone to a topic of
     * {@code tidings.publish.anonymous}, else a token whose {@code publish} patterns cover it.
     *
     * @throws AccessDeniedException 401 without a (valid) token, 403 when its patterns fall short
     */
    public Caller checkPublish(HttpServerRequest request, String topic) {
        Caller caller = callers.of(request);
        String[] segments = TopicPattern.segments(topic);
        if (!anyMatches(anonymousPublish, segments) && !anyMatches(caller.publishPatterns(), segments)) {
            throw refusal(caller, "Publishing to '" + topic + "' needs a token whose 'publish' patterns cover it");
        }
        return caller;
    }

    /**
     * What the caller may stream of {@code requested}: a topic named exactly must be readable, a
     * wildcard delivers only readable topics.
     *
     * @throws AccessDeniedException 401 or 403 for a topic named exactly that the caller may not read
     */
    public Subscription subscribe(HttpServerRequest request, TopicFilter requested) {
        Caller caller = callers.of(request);
        for (TopicPattern pattern : requested.patterns()) {
            if (!pattern.isWildcard()) {
                checkRead(caller, pattern.toString());
            }
        }
        TopicFilter filter = restricted.isEmpty() ? requested
                : requested.guarded(segments -> mayRead(caller, segments));
        return new Subscription(filter, caller.expiresAt());
    }

    /** @throws AccessDeniedException 401 or 403 when the caller may not read {@code topic}'s events */
    public void checkRead(HttpServerRequest request, String topic) {
        checkRead(callers.of(request), topic);
    }

    /** Whether the caller may read {@code topic}: it is public, or the token's patterns cover it. */
    public boolean mayRead(Caller caller, String topic) {
        return mayRead(caller, TopicPattern.segments(topic));
    }

    private void checkRead(Caller caller, String topic) {
        if (!mayRead(caller, topic)) {
            throw refusal(caller, "Topic '" + topic + "' is private: it needs a token whose 'subscribe' patterns cover it");
        }
    }

    private boolean mayRead(Caller caller, String[] segments) {
        return !anyMatches(restricted, segments) || anyMatches(caller.subscribePatterns(), segments);
    }

    private static AccessDeniedException refusal(Caller caller, String detail) {
        return caller.isAnonymous() ? AccessDeniedException.tokenNeeded(detail)
                : AccessDeniedException.insufficientScope(detail);
    }

    private static boolean anyMatches(List<TopicPattern> patterns, String[] segments) {
        for (int i = 0, n = patterns.size(); i < n; i++) {
            if (patterns.get(i).matches(segments)) {
                return true;
            }
        }
        return false;
    }

    private static List<TopicPattern> compile(List<String> patterns) {
        return patterns.stream().filter(p -> !p.isBlank()).map(TopicPattern::compile).toList();
    }
}
