package dev.tidings.server.limits;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import dev.tidings.server.api.ProblemMappers;
import dev.tidings.server.api.ProblemResponses;
import dev.tidings.server.security.Callers;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;

/**
 * Every publish counts against its client's rate before its body is read, whether or not it is
 * then accepted: a client sending bad requests in a loop is held to the same budget.
 */
@ApplicationScoped
public class PublishLimitRoute {

    /** After the token check, before the API's own route filters. */
    private static final int ORDER = -150;

    private final ClientLimits limits;
    private final Callers callers;

    public PublishLimitRoute(ClientLimits limits, Callers callers) {
        this.limits = limits;
        this.callers = callers;
    }

    void register(@Observes Router router) {
        router.route("/api/v1/*").method(HttpMethod.POST).order(ORDER).handler(context -> {
            try {
                limits.checkPublish(callers.of(context.request()), context.request());
                context.next();
            } catch (RateLimitedException e) {
                ProblemResponses.send(context.response(), ProblemMappers.problem(e));
            }
        });
    }
}
