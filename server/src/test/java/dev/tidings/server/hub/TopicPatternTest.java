package dev.tidings.server.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TopicPatternTest {

    @ParameterizedTest(name = "{0} matches {1}: {2}")
    @CsvSource({
            "chat/a, chat/a, true",
            "chat/a, chat/b, false",
            "chat/a, chat/a/b, false",
            "chat/*, chat/a, true",
            "chat/*, chat/a/b, false",
            "chat/*, chat, false",
            "chat/**, chat/a, true",
            "chat/**, chat/a/b/c, true",
            "chat/**, chat, false",
            "**, a, true",
            "**, a/b/c, true",
            "a/**/z, a/b/z, true",
            "a/**/z, a/b/c/z, true",
            "a/**/z, a/z, false",
            "*/b/*, a/b/c, true",
            "*/b/*, a/x/c, false",
            "**/**, a, false",
            "**/**, a/b, true",
    })
    void matchesSegmentWise(String pattern, String topic, boolean expected) {
        assertThat(TopicPattern.compile(pattern).matches(topic)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "a//b", "/a", "a/", "a b", "a/b\nc", "a/\u00e9", "a/b?c", "a/**x", "a/./b", "..", "a/.." })
    void rejectsMalformedNamesAndPatterns(String text) {
        assertThatThrownBy(() -> TopicPattern.compile(text)).isInstanceOf(InvalidTopicException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = { "a/*", "**", "chat/**" })
    void aTopicNameCannotBeAPattern(String text) {
        assertThatThrownBy(() -> TopicPattern.requireTopic(text)).isInstanceOf(InvalidTopicException.class)
                .hasMessageContaining("wildcards");
    }

    @ParameterizedTest
    @ValueSource(ints = { 256, 257 })
    void namesAreAtMost256Characters(int length) {
        String name = "a".repeat(length);
        if (length <= TopicPattern.MAX_LENGTH) {
            assertThat(TopicPattern.requireTopic(name)).isEqualTo(name);
        } else {
            assertThatThrownBy(() -> TopicPattern.requireTopic(name)).isInstanceOf(InvalidTopicException.class);
        }
    }

    @ParameterizedTest(name = "{0} matches {1}: {2}")
    @CsvSource({
            "a/**/m/**/z, a/m/z, false",
            "a/**/m/**/z, a/x/m/y/z, true",
            "a/**/m/**/z, a/m/m/m/z, true",
            "a/**/m/**/z, a/x/m/z, false",
            "**/m/*/**, x/m/y/z, true",
            "**/m/*/**, m/y/z, false",
            "**/m/*/**, x/m/y, false",
            "*/**/*, a/b, false",
            "*/**/*, a/b/c, true",
    })
    void placesBlocksBetweenTwoDoubleWildcards(String pattern, String topic, boolean expected) {
        assertThat(TopicPattern.compile(pattern).matches(topic)).isEqualTo(expected);
    }

    @org.junit.jupiter.api.Test
    void aPatternHasAtMostTwoDoubleWildcards() {
        assertThat(TopicPattern.compile("**/x/**").isWildcard()).isTrue();
        assertThatThrownBy(() -> TopicPattern.compile("**/x/**/y/**")).isInstanceOf(InvalidTopicException.class)
                .hasMessageContaining("at most 2 '**'");
    }
}
