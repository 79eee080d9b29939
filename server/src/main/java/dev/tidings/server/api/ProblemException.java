package dev.tidings.server.api;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** A client-facing failure: becomes a problem+json response with its status. */
public class ProblemException extends RuntimeException {

    private final Problem problem;
    private final Duration retryAfter;
    private final Map<String, String> headers = new LinkedHashMap<>();

    public ProblemException(int status, String title, String detail, Duration retryAfter) {
        super(detail);
        this.problem = new Problem(title, status, detail);
        this.retryAfter = retryAfter;
    }

    public static ProblemException badRequest(String detail) {
        return new ProblemException(400, "Bad Request", detail, null);
    }

    public static ProblemException tooLarge(long maxBytes) {
        return new ProblemException(413, "Content Too Large",
                "The request body exceeds the limit of " + maxBytes + " bytes", null);
    }

    public static ProblemException tooManyRequests(String detail, Duration retryAfter) {
        return new ProblemException(429, "Too Many Requests", detail, retryAfter);
    }

    public static ProblemException unavailable(String detail) {
        return new ProblemException(503, "Service Unavailable", detail, Duration.ofSeconds(1));
    }

    /** A header the answer carries besides {@code Retry-After}, such as {@code WWW-Authenticate} or {@code Allow}. */
    public ProblemException withHeader(String name, String value) {
        headers.put(name, value);
        return this;
    }

    public Map<String, String> headers() {
        return headers;
    }

    public Problem problem() {
        return problem;
    }

    /** Value of the {@code Retry-After} header, in whole seconds (at least 1). */
    public Optional<String> retryAfterSeconds() {
        return Optional.ofNullable(retryAfter).map(d -> Long.toString(Math.max(1, (d.toMillis() + 999) / 1000)));
    }
}
