package dev.tidings.server.api;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;

/**
 * HTTP concerns in front of the resources: paths that the router would rewrite are refused, a
 * declared body over the publish limit is refused before it is read, and unknown API paths
 * answer with a problem rather than a bare 404.
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
        // The router resolves '//', '.' and '..' before matching; a topic path must not lose them silently.
        router.route("/api/v1/*").order(BEFORE_RESOURCES - 1).handler(context -> {
            if (hasEmptyOrDotSegment(context.request().path())) {
                ProblemResponses.send(context.response(), ProblemException.badRequest(
                        "The path has an empty, '.' or '..' segment; topic segments are made of A-Z a-z 0-9 . _ ~ -"));
            } else {
                context.next();
            }
        });
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

    private static boolean hasEmptyOrDotSegment(String rawPath) {
        String[] segments = rawPath.split("/", -1);
        for (int i = 1; i < segments.length; i++) {
            String segment = segments[i].replace("%2e", ".").replace("%2E", ".");
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                return true;
            }
        }
        return false;
    }
}
