package dev.tidings.server.metrics;

import java.util.Set;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.config.MeterFilter;
import io.quarkus.micrometer.runtime.binder.vertx.HttpRequestMetric;
import io.vertx.ext.web.RoutingContext;

/**
 * Keeps the HTTP server meters' tags to a few values whatever clients send: every tag value is a
 * time series, so a made-up method name or path must not become one.
 */
@Singleton
public class HttpMetricTags {

    /** The tag value of any method outside HTTP's registered ones. */
    public static final String OTHER_METHOD = "OTHER";
    private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS",
            "TRACE", "PATCH");

    @Produces
    @Singleton
    MeterFilter knownMethodsOnly() {
        return new MeterFilter() {
            @Override
            public Meter.Id map(Meter.Id id) {
                String method = id.getTag("method");
                if (!id.getName().startsWith("http.server") || method == null || METHODS.contains(method)) {
                    return id;
                }
                Tags tags = Tags.empty();
                for (Tag tag : id.getTagsAsIterable()) {
                    tags = tags.and(tag.getKey().equals("method") ? Tag.of("method", OTHER_METHOD) : tag);
                }
                return id.replaceTags(tags);
            }
        };
    }

    /** Records a request under {@code template} (a route's template), not under the path it was sent to. */
    public static void recordAs(RoutingContext context, String template) {
        HttpRequestMetric metric = HttpRequestMetric.getRequestMetric(context);
        if (metric != null) {
            metric.setTemplatePath(template);
        }
    }
}
