package dev.tidings.server.hub;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EventIdTest {

    @Test
    void idsIncreaseWithinOneMillisecondAndWhenTheClockGoesBack() {
        EventId first = EventId.next(null, 1000);
        EventId sameMillis = EventId.next(first, 1000);
        EventId clockWentBack = EventId.next(sameMillis, 900);
        EventId later = EventId.next(clockWentBack, 2000);

        assertThat(sameMillis.isAfter(first)).isTrue();
        assertThat(clockWentBack.isAfter(sameMillis)).isTrue();
        assertThat(later).isEqualTo(new EventId(2000, 0));
    }

    @Test
    void ordersNumericallyNotAsText() {
        assertThat(EventId.parse("10-0").orElseThrow().isAfter(EventId.parse("9-5").orElseThrow())).isTrue();
        assertThat(EventId.parse("5-10").orElseThrow().isAfter(EventId.parse("5-9").orElseThrow())).isTrue();
    }

    @Test
    void roundTripsThroughText() {
        assertThat(EventId.parse("1795259491961-7")).contains(new EventId(1795259491961L, 7));
        assertThat(new EventId(1795259491961L, 7)).hasToString("1795259491961-7");
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "-", "1-", "-1", "1", "a-1", "1-b", "1--1", "-1-1", "1-0-0", " 1-0" })
    void rejectsWhatIsNotAnId(String text) {
        assertThat(EventId.parse(text)).isEmpty();
    }
}
