package dev.tidings.server.hub;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/** What one subscription listens to: exact topic names and wildcard patterns. */
public final class TopicFilter {

    private final List<TopicPattern> patterns;
    private final Set<String> exact = new LinkedHashSet<>();
    private final List<TopicPattern> wildcards;
    /** Which topics, by their segments, a wildcard may deliver: never one the subscriber may not read. */
    private final Predicate<String[]> wildcardGuard;

    private TopicFilter(List<TopicPattern> patterns, Predicate<String[]> wildcardGuard) {
        this.patterns = patterns.stream().distinct().toList();
        this.patterns.stream().filter(p -> !p.isWildcard()).forEach(p -> exact.add(p.toString()));
        this.wildcards = this.patterns.stream().filter(TopicPattern::isWildcard).toList();
        this.wildcardGuard = wildcardGuard;
    }

    /** @throws InvalidTopicException when any entry breaks the naming rules */
    public static TopicFilter of(List<String> topicsOrPatterns) {
        return new TopicFilter(topicsOrPatterns.stream().map(TopicPattern::compile).toList(), segments -> true);
    }

    public static TopicFilter of(String... topicsOrPatterns) {
        return of(List.of(topicsOrPatterns));
    }

    /**
     * This filter with its wildcards limited to topics {@code guard} admits; exact names are
     * checked once, when the subscription is made.
     */
    public TopicFilter guarded(Predicate<String[]> guard) {
        return new TopicFilter(patterns, guard);
    }

    public boolean matches(String topic) {
        return exact.contains(topic) || !wildcards.isEmpty() && matchesWildcard(TopicPattern.segments(topic));
    }

    /** Whether a wildcard (not an exact name) of this filter matches the topic with these segments. */
    boolean matchesWildcard(String[] topicSegments) {
        for (int i = 0, n = wildcards.size(); i < n; i++) {
            if (wildcards.get(i).matches(topicSegments)) {
                return wildcardGuard.test(topicSegments);
            }
        }
        return false;
    }

    boolean hasExact(String topic) {
        return exact.contains(topic);
    }

    /** Every distinct topic name and pattern, in the order given. */
    public List<TopicPattern> patterns() {
        return patterns;
    }

    Set<String> exactTopics() {
        return exact;
    }

    List<TopicPattern> wildcards() {
        return wildcards;
    }

    @Override
    public String toString() {
        return patterns.toString();
    }
}
