package dev.tidings.server.hub;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** What one subscription listens to: exact topic names and wildcard patterns. */
public final class TopicFilter {

    private final List<TopicPattern> patterns;
    private final Set<String> exact = new LinkedHashSet<>();
    private final List<TopicPattern> wildcards;

    private TopicFilter(List<TopicPattern> patterns) {
        this.patterns = patterns.stream().distinct().toList();
        this.patterns.stream().filter(p -> !p.isWildcard()).forEach(p -> exact.add(p.toString()));
        this.wildcards = this.patterns.stream().filter(TopicPattern::isWildcard).toList();
    }

    /** @throws InvalidTopicException when any entry breaks the naming rules */
    public static TopicFilter of(List<String> topicsOrPatterns) {
        return new TopicFilter(topicsOrPatterns.stream().map(TopicPattern::compile).toList());
    }

    public static TopicFilter of(String... topicsOrPatterns) {
        return of(List.of(topicsOrPatterns));
    }

    public boolean matches(String topic) {
        return exact.contains(topic) || !wildcards.isEmpty() && matchesWildcard(TopicPattern.segments(topic));
    }

    /** Whether a wildcard (not an exact name) of this filter matches the topic with these segments. */
    boolean matchesWildcard(String[] topicSegments) {
        for (int i = 0, n = wildcards.size(); i < n; i++) {
            if (wildcards.get(i).matches(topicSegments)) {
                return true;
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
