package dev.tidings.server.security;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

import jakarta.inject.Singleton;
import jakarta.json.JsonArray;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.logging.Logger;
import org.jose4j.jwt.consumer.InvalidJwtException;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;

import dev.tidings.server.config.TidingsConfig;
import dev.tidings.server.hub.InvalidTopicException;
import dev.tidings.server.hub.TopicPattern;
import io.quarkus.runtime.Startup;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;

/**
 * Who sent a request, from its token: {@code Authorization: Bearer}, else the cookie
 * {@value #COOKIE}, else the query parameter {@value #QUERY_PARAMETER} (for {@code EventSource},
 * which cannot set headers). A verified token is remembered until it expires, so a client that
 * reconnects or publishes often is not verified again each time.
 */
@Startup
@Singleton
// Caffeine builds the cache and node classes this cache's settings need by name: a native image must keep them.
@RegisterForReflection(classNames = { "com.github.benmanes.caffeine.cache.SSMSA", "com.github.benmanes.caffeine.cache.PSWMS" })
public class Callers {

    private static final Logger LOG = Logger.getLogger(Callers.class);
    public static final String COOKIE = "tidings_token";
    public static final String QUERY_PARAMETER = "access_token";
    static final String SUBJECT_PLACEHOLDER = "{sub}";
    private static final String BEARER = "Bearer ";
    private static final int MAX_TOKEN_LENGTH = 8192;
    private static final int MAX_REMEMBERED = 10_000;

    private final JWTParser parser;
    private final List<String> personal;
    // Upkeep on the requesting thread, as for ClientLimits's budgets: no common-pool hand-off per few reads.
    private final Cache<String, Caller> verified = Caffeine.newBuilder()
            .maximumSize(MAX_REMEMBERED)
            .executor(Runnable::run)
            .expireAfter(Expiry.<String, Caller>creating((token, caller) -> caller.expiresAt()
                    .map(at -> Duration.between(Instant.now(), at))
                    .orElse(Duration.ofMinutes(5))))
            .build();

    public Callers(JWTParser parser, TidingsConfig config) {
        this.parser = parser;
        this.personal = config.topics().personal();
        // A bad setting fails start-up rather than the first request with a token.
        compile(personal, "subject");
    }

    /**
     * The caller of {@code request}: anonymous when it carries no token.
     *
     * @throws AccessDeniedException 401 when it carries a token that is bad or expired
     */
    public Caller of(HttpServerRequest request) {
        String token = token(request);
        if (token == null) {
            return Caller.anonymous();
        }
        Caller caller = verified.getIfPresent(token);
        if (caller == null) {
            caller = verify(token);
            verified.put(token, caller);
        }
        // Checked here to the millisecond, not left to the verifier's clock skew: a stream ends
        // at its token's expiry, and reconnecting with that token must then be refused.
        if (caller.expiresAt().filter(at -> !Instant.now().isBefore(at)).isPresent()) {
            verified.invalidate(token);
            throw AccessDeniedException.invalidToken("The token has expired");
        }
        return caller;
    }

    private static String token(HttpServerRequest request) {
        String token = null;
        String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (authorization != null) {
            if (!authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
                throw AccessDeniedException.invalidToken("The Authorization header must be 'Bearer <token>'");
            }
            token = authorization.substring(BEARER.length()).trim();
        } else {
            Cookie cookie = request.getCookie(COOKIE);
            token = cookie != null ? cookie.getValue() : request.getParam(QUERY_PARAMETER);
        }
        if (token == null) {
            return null;
        }
        if (token.isEmpty() || token.length() > MAX_TOKEN_LENGTH) {
            throw AccessDeniedException.invalidToken("The token is empty or longer than " + MAX_TOKEN_LENGTH + " characters");
        }
        return token;
    }

    private Caller verify(String token) {
        JsonWebToken jwt;
        try {
            jwt = parser.parse(token);
        } catch (ParseException e) {
            LOG.debugf(e, "Token refused");
            throw AccessDeniedException.invalidToken(hasExpired(e) ? "The token has expired"
                    : "The token is not signed by a trusted key, is for another issuer, or is malformed");
        }
        String subject = jwt.getSubject();
        if (subject == null || subject.isBlank()) {
            throw AccessDeniedException.invalidToken("The token has no subject");
        }
        Instant expiresAt = jwt.getExpirationTime() > 0 ? Instant.ofEpochSecond(jwt.getExpirationTime()) : null;
        List<TopicPattern> subscribe = patterns(jwt, "subscribe", subject);
        subscribe.addAll(compile(personal, subject));
        Object name = jwt.getClaim("name");
        return new Caller(subject, name == null ? null : claimText(name), List.copyOf(patterns(jwt, "publish", subject)), List.copyOf(subscribe), expiresAt);
    }

    private static boolean hasExpired(ParseException e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof InvalidJwtException invalid && invalid.hasExpired()) {
                return true;
            }
        }
        return false;
    }

    /** A claim holding topic patterns: a JSON array of strings, or one string of them separated by spaces. */
    private static List<TopicPattern> patterns(JsonWebToken jwt, String claim, String subject) {
        Object value = jwt.getClaim(claim);
        List<String> texts = new ArrayList<>();
        if (value instanceof JsonArray array) {
            array.forEach(item -> texts.add(claimText(item)));
        } else if (value instanceof Collection<?> items) {
            items.forEach(item -> texts.add(claimText(item)));
        } else if (value != null) {
            texts.addAll(List.of(claimText(value).trim().split("\\s+")));
        }
        try {
            return compile(texts, subject);
        } catch (InvalidTopicException e) {
            throw AccessDeniedException.invalidToken("The token's '" + claim + "' claim holds an invalid pattern: "
                    + e.getMessage());
        }
    }

    /**
     * Patterns with {@code {sub}} replaced by the subject. A subject that is not a single topic
     * segment could widen a pattern (a subject of {@code **}), so such patterns are left out.
     */
    static List<TopicPattern> compile(List<String> texts, String subject) {
        boolean subjectUsable = TopicPattern.isSegment(subject);
        List<TopicPattern> patterns = new ArrayList<>();
        for (String text : texts) {
            if (text.isEmpty()) {
                continue;
            }
            if (text.contains(SUBJECT_PLACEHOLDER)) {
                if (!subjectUsable) {
                    continue;
                }
                text = text.replace(SUBJECT_PLACEHOLDER, subject);
            }
            patterns.add(TopicPattern.compile(text));
        }
        return patterns;
    }

    private static String claimText(Object value) {
        if (value instanceof JsonString string) {
            return string.getString();
        }
        if (value instanceof JsonValue json) {
            return json.toString();
        }
        return Optional.ofNullable(value).map(Object::toString).orElse("");
    }
}
