package dev.tidings.server.api;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;

/** Writes a problem on a plain Vert.x response (the routes that are not JAX-RS resources). */
public final class ProblemResponses {

    private ProblemResponses() {
    }

    public static void send(HttpServerResponse response, ProblemException failure) {
        Problem problem = failure.problem();
        response.setStatusCode(problem.status()).putHeader("Content-Type", Problem.MEDIA_TYPE);
        failure.retryAfterSeconds().ifPresent(seconds -> response.putHeader("Retry-After", seconds));
        failure.headers().forEach(response::putHeader);
        response.end(Buffer.buffer(problem.toJson()));
    }
}
