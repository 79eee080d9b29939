package dev.tidings.server.api;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import dev.tidings.server.config.TidingsConfig;
import dev.tidings.server.metrics.HttpMetricTags;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * The HTTP edge in front of the resources: requests past its size limits are refused, paths are
 * taken exactly as sent, each API path answers only its own methods (405 with
 * {@code Allow}), publish bodies must be {@code application/json} and within the publish limit,
 * and every error the router raises itself is problem+json.
 */
@ApplicationScoped
public class ApiRoutes {

    /** Before the token check and every other filter of ours. */
    private static final int WITHIN_SIZE_LIMITS = -300;
    private static final int PATHS = -102;
    private static final int METHODS = -101;
    private static final int BODIES = -100;
    private static final int AFTER_EVERYTHING = Integer.MAX_VALUE;
    /** Below the HTTP layer's own, higher limits, so that these are answered as problems. */
    static final int MAX_URI_LENGTH = 8 * 1024;
    static final int MAX_HEADER_BYTES = 16 * 1024;
    /** quarkus.http.limits.max-body-size and quarkus.rest.input-buffer-size (build time): bodies above are not taken. */
    static final long MAX_PUBLISH_BYTES = 1024 * 1024;
    private static final Logger LOG = Logger.getLogger(ApiRoutes.class);
    private static final Set<Integer> ROUTER_ERRORS = Set.of(400, 404, 405, 413, 414, 415, 431, 500);

    /** Each API path and the methods it answers besides HEAD (with GET) and OPTIONS. */
    private record Resource(String template, Pattern path, List<HttpMethod> methods, boolean stream) {

        Resource(String template, List<HttpMethod> methods, boolean stream) {
            this(template, Pattern.compile(template.replaceAll("\\{room}", "[^/]+").replaceAll("\\{topic}", ".+")),
                    methods, stream);
        }

        String allow() {
            StringBuilder allow = new StringBuilder();
            methods.forEach(method -> allow.append(method.name()).append(", "));
            return allow.append(methods.contains(HttpMethod.GET) ? "HEAD, OPTIONS" : "OPTIONS").toString();
        }

        boolean allows(HttpMethod method) {
            return methods.contains(method) || method == HttpMethod.OPTIONS
                    || method == HttpMethod.HEAD && methods.contains(HttpMethod.GET);
        }
    }

    private static final List<Resource> RESOURCES = List.of(
            new Resource("/api/v1/events", List.of(HttpMethod.GET), true),
            new Resource("/api/v1/timer", List.of(HttpMethod.GET), true),
            new Resource("/api/v1/notifications", List.of(HttpMethod.GET, HttpMethod.POST), true),
            new Resource("/api/v1/chat/{room}", List.of(HttpMethod.GET), true),
            new Resource("/api/v1/chat/{room}/messages", List.of(HttpMethod.POST), false),
            new Resource("/api/v1/topics", List.of(HttpMethod.GET), false),
            new Resource("/api/v1/topics/{topic}/events", List.of(HttpMethod.GET, HttpMethod.POST), false));
    /** The metrics' name for requests refused before any resource: their paths are the client's to make up. */
    private static final String REFUSED_PATH = "REFUSED";
    /** Where the path's resource, looked up once per request, waits for the method check. */
    private static final String RESOURCE_KEY = ApiRoutes.class.getName() + ".resource";

    private final JsonBodies bodies;
    private final long maxPublishBytes;

    public ApiRoutes(JsonBodies bodies, TidingsConfig config) {
        this.bodies = bodies;
        this.maxPublishBytes = config.publish().maxBytes().asLongValue();
        if (maxPublishBytes > MAX_PUBLISH_BYTES) {
            throw new IllegalStateException("tidings.publish.max-bytes is " + maxPublishBytes + " bytes; at most "
                    + MAX_PUBLISH_BYTES + " (1M, the HTTP body cap and Quarkus REST's in-memory input buffer)");
        }
    }

    void register(@Observes Router router) {
        router.route().order(WITHIN_SIZE_LIMITS).handler(this::refuseOversized);
        router.route("/api/v1/*").order(PATHS).handler(context -> {
            Resource resource = resource(context.request().path());
            context.put(RESOURCE_KEY, resource);
            HttpMetricTags.recordAs(context, resource == null ? REFUSED_PATH : resource.template());
            String problem = whyNotExact(context.request().path());
            if (problem != null) {
                ProblemResponses.send(context.response(), ProblemException.badRequest(problem));
            } else {
                context.next();
            }
        });
        router.route("/api/v1/*").order(METHODS).handler(this::checkMethod);
        router.route("/api/v1/*").method(HttpMethod.POST).order(BODIES).handler(this::checkPublishHead);
        // Read here, within the publish limit, so a chunked body past it is a 413 problem however large
        // it grows. Not over HTTP/2: Quarkus REST cannot take a stream whose body was read before it.
        BodyHandler withinLimit = BodyHandler.create(false).setBodyLimit(maxPublishBytes);
        router.route("/api/v1/*").method(HttpMethod.POST).order(BODIES + 1).handler(context -> {
            if (context.request().version() == HttpVersion.HTTP_2) {
                context.next();
            } else {
                withinLimit.handle(context);
            }
        });
        // Quarkus REST would wait forever for a body read here that turned out empty.
        router.route("/api/v1/*").method(HttpMethod.POST).order(BODIES + 2).handler(context -> {
            if (context.request().version() != HttpVersion.HTTP_2 && context.body().length() <= 0) {
                ProblemResponses.send(context.response(), JsonBodies.emptyBody());
            } else {
                context.next();
            }
        });
        router.route("/api/v1/*").order(AFTER_EVERYTHING).handler(context -> ProblemResponses.send(context.response(),
                new ProblemException(404, "Not Found", "No API resource at " + context.normalizedPath(), null)));
        // What the router answers by itself (a path or query it cannot decode, a body past the limit…),
        // whether it fails a route or fails before any route matched.
        router.route().order(WITHIN_SIZE_LIMITS).failureHandler(context -> routerError(context, context.statusCode()));
        ROUTER_ERRORS.forEach(status -> router.errorHandler(status, context -> routerError(context, status)));
    }

    /** Requests past the edge's size limits, refused before anything else reads them. */
    private void refuseOversized(RoutingContext context) {
        HttpServerRequest request = context.request();
        if (request.uri().length() > MAX_URI_LENGTH) {
            refuse(context, new ProblemException(414, "URI Too Long",
                    "The request target is longer than " + MAX_URI_LENGTH + " characters", null));
        } else if (headerBytes(request) > MAX_HEADER_BYTES) {
            refuse(context, new ProblemException(431, "Request Header Fields Too Large",
                    "The request headers are larger than " + MAX_HEADER_BYTES + " bytes", null));
        } else {
            context.next();
        }
    }

    /** Answers and closes the connection: what follows the head cannot be trusted to frame a next request. */
    private static void refuse(RoutingContext context, ProblemException problem) {
        HttpMetricTags.recordAs(context, REFUSED_PATH);
        HttpServerResponse response = context.response();
        response.putHeader(HttpHeaders.CONNECTION, "close");
        response.endHandler(ignored -> context.request().connection().close());
        ProblemResponses.send(response, problem);
    }

    private static int headerBytes(HttpServerRequest request) {
        int bytes = 0;
        for (var header : request.headers()) {
            bytes += header.getKey().length() + header.getValue().length() + 4;
        }
        return bytes;
    }

    private void checkMethod(RoutingContext context) {
        Resource resource = context.get(RESOURCE_KEY);
        HttpMethod method = context.request().method();
        if (resource == null) {
            context.next();
        } else if (!resource.allows(method)) {
            ProblemResponses.send(context.response(), new ProblemException(405, "Method Not Allowed",
                    method.name() + " is not answered at " + context.request().path(), null)
                    .withHeader("Allow", resource.allow()));
        } else if (method == HttpMethod.OPTIONS) {
            // CORS preflights were answered before this; a plain OPTIONS asks what the path answers.
            context.response().setStatusCode(204).putHeader("Allow", resource.allow()).end();
        } else if (method == HttpMethod.HEAD && resource.stream()) {
            // The head of a stream without opening it: nothing is subscribed, counted or replayed.
            context.response().putHeader(HttpHeaders.CONTENT_TYPE, "text/event-stream")
                    .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache").end();
        } else {
            context.next();
        }
    }

    /** A publish declares a JSON body within the limit before any of it is read. */
    private void checkPublishHead(RoutingContext context) {
        HttpServerRequest request = context.request();
        try {
            if (!isJson(request.getHeader(HttpHeaders.CONTENT_TYPE))) {
                throw new ProblemException(415, "Unsupported Media Type",
                        "A publish body is JSON: send Content-Type: application/json", null);
            }
            String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
            if (length != null) {
                bodies.checkLength(parseLength(length));
            }
            context.next();
        } catch (ProblemException e) {
            ProblemResponses.send(context.response(), e);
        }
    }

    private void routerError(RoutingContext context, int failedStatus) {
        HttpServerResponse response = context.response();
        if (response.ended() || response.closed()) {
            return;
        }
        int status = failedStatus < 400 ? 500 : failedStatus;
        if (status >= 500) {
            LOG.error("Unexpected failure while serving " + context.request().method() + " "
                    + context.request().path(), context.failure());
        }
        ProblemException problem = switch (status) {
            case 400 -> ProblemException.badRequest(context.request().authority() == null
                    ? "The request has no Host header" : "The request's path, query or headers cannot be decoded");
            case 413 -> ProblemException.tooLarge(maxPublishBytes);
            case 500 -> new ProblemException(500, "Internal Server Error",
                    "The server failed to handle the request; it has been logged", null);
            default -> new ProblemException(status, response.getStatusMessage(), "The request was refused ("
                    + status + ")", null);
        };
        if (response.headWritten()) {
            response.end();
        } else {
            ProblemResponses.send(response, problem);
        }
    }

    /** {@code application/json} exactly, with or without parameters such as {@code charset}. */
    static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        int parameters = contentType.indexOf(';');
        String type = (parameters < 0 ? contentType : contentType.substring(0, parameters)).trim();
        return type.toLowerCase(Locale.ROOT).equals("application/json");
    }

    private static long parseLength(String length) {
        try {
            long value = Long.parseLong(length.trim());
            if (value >= 0) {
                return value;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ProblemException.badRequest("Malformed Content-Length");
    }

    private static Resource resource(String path) {
        for (Resource resource : RESOURCES) {
            if (resource.path().matcher(path).matches()) {
                return resource;
            }
        }
        return null;
    }

    /**
     * Why a raw path would not be taken exactly as sent: the router resolves '//', '.' and '..',
     * drops matrix parameters after ';' and decodes '%2F' into a separator; null when it is exact.
     */
    static String whyNotExact(String rawPath) {
        String lower = rawPath.toLowerCase(Locale.ROOT);
        if (lower.contains(";") || lower.contains("%3b")) {
            return "The path has a ';': matrix parameters are not taken";
        }
        if (lower.contains("%2f") || lower.contains("%5c") || lower.contains("\\")) {
            return "The path has an encoded '/' or a '\\'; topic segments are separated by '/' only";
        }
        String[] segments = lower.split("/", -1);
        for (int i = 1; i < segments.length; i++) {
            String segment = segments[i].replace("%2e", ".");
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                return "The path has an empty, '.' or '..' segment; topic segments are made of A-Z a-z 0-9 . _ ~ -";
            }
        }
        return null;
    }
}
