package dev.tidings.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EventIdsTest {

    @Test
    void hubIdsCompareAsNumericPairs() {
        assertThat(EventIds.isAfter("1700000000000-1", "1700000000000-0")).isTrue();
        assertThat(EventIds.isAfter("1700000000000-10", "1700000000000-9")).isTrue(); // not as text
        assertThat(EventIds.isAfter("1700000000001-0", "1700000000000-99")).isTrue();
        assertThat(EventIds.isAfter("1700000000000-0", "1700000000000-0")).isFalse();
        assertThat(EventIds.isAfter("999999999999-5", "1700000000000-0")).isFalse(); // fewer digits, earlier
    }

    @Test
    void timerIdsCompareAsNumbers() {
        assertThat(EventIds.isAfter("10", "9")).isTrue();
        assertThat(EventIds.isAfter("9", "10")).isFalse();
        assertThat(EventIds.isAfter("10", "10")).isFalse();
        assertThat(EventIds.isAfter("123456789012345678901234567890", "123456789012345678901234567889")).isTrue();
    }

    @Test
    void idsOfOtherShapesOnlyDropExactRepeats() {
        assertThat(EventIds.isAfter("b", "a")).isTrue();
        assertThat(EventIds.isAfter("a", "b")).isTrue();
        assertThat(EventIds.isAfter("a", "a")).isFalse();
        assertThat(EventIds.isAfter("5", "1700000000000-0")).isTrue(); // mixed shapes cannot be ordered
        assertThat(EventIds.isAfter("1-x", "1-x")).isFalse();
    }

    @Test
    void anythingIsAfterNothing() {
        assertThat(EventIds.isAfter("1-0", null)).isTrue();
    }
}
