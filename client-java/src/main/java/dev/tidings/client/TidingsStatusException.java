package dev.tidings.client;

import java.util.Optional;

/**
 * The server answered with a status the client does not stream from or accept as a publish
 * result. When it ends a subscription, the status is fatal (204, or a 4xx other than 408 and
 * 429, with the standard {@link FailurePolicy}); retryable ones only show as the cause of a
 * {@link ConnectionState#RECONNECTING} change.
 */
public class TidingsStatusException extends TidingsException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final String body;

    public TidingsStatusException(String message, int status, String body) {
        super(message);
        this.status = status;
        this.body = body == null ? "" : body;
    }

    public int status() {
        return status;
    }

    /** The start of the response body, usually an {@code application/problem+json} document. */
    public String body() {
        return body;
    }

    /** The problem document's {@code detail} or {@code title}, when the body is one. */
    public Optional<String> problemDetail() {
        return Json.problemDetail(body);
    }
}
