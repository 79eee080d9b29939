package dev.tidings.server.support;

import static io.restassured.RestAssured.given;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads single values from the Prometheus text at {@code /q/metrics}. */
public final class Metrics {

    private Metrics() {
    }

    public static String scrape() {
        return given().accept("text/plain").when().get("/q/metrics").then().statusCode(200).extract().asString();
    }

    /** The value of {@code name} (with the given label, or no labels when {@code label} is null); NaN when absent. */
    public static double value(String text, String name, String label) {
        String labels = label == null ? "(\\{[^}]*\\})?" : "\\{[^}]*" + Pattern.quote(label) + "[^}]*\\}";
        Matcher line = Pattern.compile("(?m)^" + Pattern.quote(name) + labels + " (\\S+)").matcher(text);
        return line.find() ? Double.parseDouble(line.group(line.groupCount())) : Double.NaN;
    }

    public static double value(String name, String label) {
        return value(scrape(), name, label);
    }

    public static double openStreams(String family) {
        return value("tidings_streams_open", "family=\"" + family + "\"");
    }

    public static double slowDisconnects() {
        return value("tidings_streams_slow_disconnects_total", null);
    }

    public static double eventsDropped() {
        return value("tidings_events_dropped_total", null);
    }
}
