package dev.tidings.server.security;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import dev.tidings.server.api.ProblemMappers;
import dev.tidings.server.api.ProblemResponses;
import io.vertx.ext.web.Router;

/**
 * Checks the token of every API request before anything else sees it, so a bad or expired token
 * is answered 401 wherever it is sent, never taken as anonymous.
 */
@ApplicationScoped
public class TokenRoutes {

    /** Ahead of the API's own route filters. */
    private static final int FIRST = -200;

    private final Callers callers;

    public TokenRoutes(Callers callers) {
        this.callers = callers;
    }

    void register(@Observes Router router) {
        router.route("/api/v1/*").order(FIRST).handler(context -> {
            try {
                callers.of(context.request());
                context.next();
            } catch (AccessDeniedException e) {
                ProblemResponses.send(context.response(), ProblemMappers.problem(e));
            }
        });
    }
}
