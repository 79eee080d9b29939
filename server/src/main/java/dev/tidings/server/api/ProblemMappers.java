package dev.tidings.server.api;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import dev.tidings.server.hub.HistoryGapException;
import dev.tidings.server.hub.InvalidTopicException;
import dev.tidings.server.limits.RateLimitedException;
import dev.tidings.server.security.AccessDeniedException;
import dev.tidings.server.sse.StreamRefusedException;

/** Every failure of a resource becomes problem+json; clients never see a stack trace. */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response problem(ProblemException failure) {
        return toResponse(failure);
    }

    @ServerExceptionMapper
    public Response invalidTopic(InvalidTopicException failure) {
        return toResponse(ProblemException.badRequest(failure.getMessage()));
    }

    @ServerExceptionMapper
    public Response streamRefused(StreamRefusedException failure) {
        return toResponse(problem(failure));
    }

    static ProblemException problem(StreamRefusedException failure) {
        String title = failure.status() == 429 ? "Too Many Requests" : "Service Unavailable";
        return new ProblemException(failure.status(), title, failure.getMessage(), failure.retryAfter());
    }

    @ServerExceptionMapper
    public Response accessDenied(AccessDeniedException failure) {
        return toResponse(problem(failure));
    }

    /** 401 or 403 with the RFC 6750 challenge. */
    public static ProblemException problem(AccessDeniedException failure) {
        String title = failure.status() == 401 ? "Unauthorized" : "Forbidden";
        return new ProblemException(failure.status(), title, failure.getMessage(), null)
                .withHeader("WWW-Authenticate", failure.challenge());
    }

    @ServerExceptionMapper
    public Response rateLimited(RateLimitedException failure) {
        return toResponse(problem(failure));
    }

    public static ProblemException problem(RateLimitedException failure) {
        return ProblemException.tooManyRequests(failure.getMessage(), failure.retryAfter());
    }

    @ServerExceptionMapper
    public Response historyGap(HistoryGapException failure) {
        return toResponse(new ProblemException(410, "Gone", failure.getMessage(), null));
    }

    @ServerExceptionMapper
    public Response http(WebApplicationException failure) {
        Response.StatusType status = failure.getResponse().getStatusInfo();
        return toResponse(new ProblemException(status.getStatusCode(), status.getReasonPhrase(),
                failure.getMessage(), null));
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable failure) {
        LOG.error("Unexpected failure while serving a request", failure);
        return toResponse(new ProblemException(500, "Internal Server Error",
                "The server failed to handle the request; it has been logged", null));
    }

    static Response toResponse(ProblemException failure) {
        Problem problem = failure.problem();
        Response.ResponseBuilder response = Response.status(problem.status())
                .type(Problem.MEDIA_TYPE)
                .entity(problem.toJson());
        failure.retryAfterSeconds().ifPresent(seconds -> response.header("Retry-After", seconds));
        failure.headers().forEach(response::header);
        return response.build();
    }
}
