package dev.tidings.server.api;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;

/**
 * HTTP concerns in front of the resources: a declared body over the publish limit is refused
 * before it is read, and unknown API paths answer with a problem rather than a bare 404.
 */
@ApplicationScoped
public class ApiRoutes {

    private static final int BEFORE_RESOURCES = -100;
    private static final int AFTER_EVERYTHING = Integer.MAX_VALUE;

    private final JsonBodies bodies;

    public ApiRoutes(JsonBodies bodies) {
        this.bodies = bodies;
    }

    void register(@Observes Router router) {
        router.route("/api/v1/*").method(HttpMethod.POST).order(BEFORE_RESOURCES).handler(context -> {
            String length = context.request().getHeader(HttpHeaders.CONTENT_LENGTH);
            try {
                if (length != null) {
                    bodies.checkLength(Long.parseLong(length));
                }
                context.next();
            } catch (ProblemException e) {
                ProblemResponses.send(context.response(), e);
            } catch (NumberFormatException e) {
                ProblemResponses.send(context.response(), ProblemException.badRequest("Malformed Content-Length"));
            }
        });
        router.route("/api/v1/*").order(AFTER_EVERYTHING).handler(context -> ProblemResponses.send(context.response(),
                new ProblemException(404, "Not Found", "No API resource at " + context.normalizedPath(), null)));
    }
}
