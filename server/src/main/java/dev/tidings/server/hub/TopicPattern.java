package dev.tidings.server.hub;

import java.util.regex.Pattern;

/**
 * The topic matcher: a topic name or a pattern where {@code *} stands for one segment and
 * {@code **} for one or more. Also the single place that validates topic names.
 */
public final class TopicPattern {

    public static final int MAX_LENGTH = 256;
    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9._~-]+");
    private static final String ONE = "*";
    private static final String ONE_OR_MORE = "**";

    private final String text;
    private final String[] segments;
    private final boolean wildcard;

    private TopicPattern(String text, String[] segments, boolean wildcard) {
        this.text = text;
        this.segments = segments;
        this.wildcard = wildcard;
    }

    /** A concrete topic name, without wildcards. */
    public static String requireTopic(String name) {
        TopicPattern pattern = parse(name, false);
        return pattern.text;
    }

    /** A topic name or a pattern. */
    public static TopicPattern compile(String pattern) {
        return parse(pattern, true);
    }

    /**
     * Whether {@code segment} may stand as one segment of a topic name. {@code .} and {@code ..}
     * may not: URL paths resolve them, so such a topic could not be addressed in a path.
     */
    public static boolean isSegment(String segment) {
        return segment != null && segment.length() <= MAX_LENGTH && SEGMENT.matcher(segment).matches()
                && !segment.equals(".") && !segment.equals("..");
    }

    private static TopicPattern parse(String text, boolean wildcardsAllowed) {
        if (text == null || text.isEmpty() || text.length() > MAX_LENGTH) {
            throw new InvalidTopicException(text, "must be 1 to " + MAX_LENGTH + " characters");
        }
        String[] segments = text.split("/", -1);
        boolean wildcard = false;
        for (String segment : segments) {
            if (segment.equals(ONE) || segment.equals(ONE_OR_MORE)) {
                if (!wildcardsAllowed) {
                    throw new InvalidTopicException(text, "a topic name cannot contain wildcards");
                }
                wildcard = true;
            } else if (!isSegment(segment)) {
                throw new InvalidTopicException(text,
                        "segments are separated by '/' and made of A-Z a-z 0-9 . _ ~ - (not '.' or '..' alone)"
                                + (wildcardsAllowed ? ", or are * or **" : ""));
            }
        }
        return new TopicPattern(text, segments, wildcard);
    }

    public boolean isWildcard() {
        return wildcard;
    }

    public boolean matches(String topic) {
        if (!wildcard) {
            return text.equals(topic);
        }
        return matches(topic.split("/", -1));
    }

    /**
     * Dynamic programming over (pattern suffix, topic suffix), so that patterns with many
     * {@code **} segments stay linear in each dimension rather than backtracking.
     */
    private boolean matches(String[] topic) {
        int t = topic.length;
        // next[j]: pattern segments after the current one match topic segments from j on.
        boolean[] next = new boolean[t + 1];
        next[t] = true;
        for (int p = segments.length - 1; p >= 0; p--) {
            boolean[] current = new boolean[t + 1];
            String segment = segments[p];
            if (segment.equals(ONE_OR_MORE)) {
                boolean restMatchesLater = false;
                for (int j = t - 1; j >= 0; j--) {
                    restMatchesLater |= next[j + 1];
                    current[j] = restMatchesLater;
                }
            } else {
                for (int j = 0; j < t; j++) {
                    current[j] = next[j + 1] && (segment.equals(ONE) || segment.equals(topic[j]));
                }
            }
            next = current;
        }
        return next[0];
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TopicPattern that && text.equals(that.text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    @Override
    public String toString() {
        return text;
    }
}
