package dev.tidings.server.hub;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The topic matcher: a topic name or a pattern where {@code *} stands for one segment and
 * {@code **} for one or more. Also the single place that validates topic names.
 * <p>
 * A pattern is precompiled into blocks of single-segment matchers separated by {@code **}; with
 * at most {@link #MAX_MULTI_WILDCARDS} of those, matching a topic's segments places each block at
 * its earliest fit, in one pass over the topic, and allocates nothing.
 */
public final class TopicPattern {

    public static final int MAX_LENGTH = 256;
    public static final int MAX_MULTI_WILDCARDS = 2;
    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9._~-]+");
    private static final String ONE = "*";
    private static final String ONE_OR_MORE = "**";

    private final String text;
    private final boolean wildcard;
    /** Segments between the {@code **} wildcards; {@code *} stands as itself. */
    private final String[][] blocks;

    private TopicPattern(String text, String[] segments, boolean wildcard) {
        this.text = text;
        this.wildcard = wildcard;
        List<String[]> split = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= segments.length; i++) {
            if (i == segments.length || segments[i].equals(ONE_OR_MORE)) {
                split.add(Arrays.copyOfRange(segments, start, i));
                start = i + 1;
            }
        }
        this.blocks = split.toArray(String[][]::new);
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

    /** A topic's segments, split once per event and shared by every pattern matched against it. */
    public static String[] segments(String topic) {
        return topic.split("/", -1);
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
        int multiWildcards = 0;
        for (String segment : segments) {
            if (segment.equals(ONE) || segment.equals(ONE_OR_MORE)) {
                if (!wildcardsAllowed) {
                    throw new InvalidTopicException(text, "a topic name cannot contain wildcards");
                }
                wildcard = true;
                if (segment.equals(ONE_OR_MORE) && ++multiWildcards > MAX_MULTI_WILDCARDS) {
                    throw new InvalidTopicException(text, "a pattern may contain at most " + MAX_MULTI_WILDCARDS + " '**'");
                }
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
        return wildcard ? matches(segments(topic)) : text.equals(topic);
    }

    /**
     * Whether the topic with these segments matches. Between the first block (a prefix) and the
     * last (a suffix), each inner block goes at its earliest position that leaves at least one
     * segment for the {@code **} before it: an earlier fit never rules out a later block.
     */
    public boolean matches(String[] topic) {
        int last = blocks.length - 1;
        if (last == 0) {
            return topic.length == blocks[0].length && fitsAt(blocks[0], topic, 0);
        }
        String[] suffix = blocks[last];
        int suffixStart = topic.length - suffix.length;
        if (!fitsAt(blocks[0], topic, 0) || !fitsAt(suffix, topic, suffixStart)) {
            return false;
        }
        int next = blocks[0].length + 1;
        for (int b = 1; b < last; b++) {
            int at = earliestFit(blocks[b], topic, next, suffixStart - 1);
            if (at < 0) {
                return false;
            }
            next = at + blocks[b].length + 1;
        }
        return next <= suffixStart;
    }

    /** Earliest start in [from, limit - block.length] where block fits, or -1. */
    private static int earliestFit(String[] block, String[] topic, int from, int limit) {
        for (int at = from; at + block.length <= limit; at++) {
            if (fitsAt(block, topic, at)) {
                return at;
            }
        }
        return -1;
    }

    private static boolean fitsAt(String[] block, String[] topic, int at) {
        if (at < 0 || at + block.length > topic.length) {
            return false;
        }
        for (int i = 0; i < block.length; i++) {
            if (!block[i].equals(ONE) && !block[i].equals(topic[at + i])) {
                return false;
            }
        }
        return true;
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
