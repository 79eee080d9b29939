package dev.tidings.client;

import java.util.Locale;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * A notification, as sent with {@link TidingsClient#sendNotification} and read from a
 * {@code notification} event with {@code event.data(Notification.class)}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public final class Notification {

    public enum Level {
        INFO, SUCCESS, WARNING, ERROR;

        @JsonValue
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        @JsonCreator
        public static Level of(String name) {
            return valueOf(name.toUpperCase(Locale.ROOT));
        }
    }

    private final String channel;
    private final String title;
    private final String body;
    private final Level level;
    private final String link;

    /**
     * @param body optional text, may be null
     * @param link optional http(s) URL or site path starting with {@code /}, may be null
     */
    @JsonCreator
    public Notification(@JsonProperty("channel") String channel, @JsonProperty("title") String title,
            @JsonProperty("body") String body, @JsonProperty("level") Level level, @JsonProperty("link") String link) {
        this.channel = Objects.requireNonNull(channel, "channel");
        this.title = Objects.requireNonNull(title, "title");
        this.body = body;
        this.level = Objects.requireNonNull(level, "level");
        this.link = link;
    }

    public static Notification of(String channel, Level level, String title) {
        return new Notification(channel, title, null, level, null);
    }

    @JsonProperty("channel")
    public String channel() {
        return channel;
    }

    @JsonProperty("title")
    public String title() {
        return title;
    }

    @JsonProperty("body")
    public String body() {
        return body;
    }

    @JsonProperty("level")
    public Level level() {
        return level;
    }

    @JsonProperty("link")
    public String link() {
        return link;
    }

    public Notification withBody(String text) {
        return new Notification(channel, title, text, level, link);
    }

    public Notification withLink(String url) {
        return new Notification(channel, title, body, level, url);
    }

    @Override
    public String toString() {
        return "[" + level.wireName() + "] " + channel + ": " + title;
    }
}
