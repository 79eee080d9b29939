package dev.tidings.server.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class HistoryTest {

    private final MutableClock clock = new MutableClock();
    private EventId lastId;

    private Event event(String topic) {
        lastId = EventId.next(lastId, clock.millis());
        return new Event(lastId, topic, "message", clock.instant(), "{}");
    }

    @Test
    void replaysEverythingAfterAKnownIdThatTheFilterMatches() {
        History history = new History(10, Duration.ofHours(1), clock);
        Event first = event("a");
        history.append(first);
        Event second = event("b");
        history.append(second);
        Event third = event("a");
        history.append(third);

        Replay replay = history.after(first.idText(), TopicFilter.of("a"));

        assertThat(replay.gap()).isFalse();
        assertThat(replay.events()).containsExactly(third);
        assertThat(history.after(third.idText(), TopicFilter.of("a", "b")).events()).isEmpty();
    }

    @Test
    void anIdPushedOutBySizeIsAGapButTheNewestEvictedIdIsNot() {
        History history = new History(2, Duration.ofHours(1), clock);
        Event first = event("a");
        Event second = event("a");
        Event third = event("a");
        Event fourth = event("a");
        List.of(first, second, third, fourth).forEach(history::append);

        assertThat(history.after(first.idText(), TopicFilter.of("a")).gap()).isTrue();
        // The client saw 'second', the newest evicted: it missed nothing that was dropped.
        Replay fromSecond = history.after(second.idText(), TopicFilter.of("a"));
        assertThat(fromSecond.gap()).isFalse();
        assertThat(fromSecond.events()).containsExactly(third, fourth);
    }

    @Test
    void eventsExpireAfterTheTtl() {
        History history = new History(100, Duration.ofMinutes(1), clock);
        Event old = event("a");
        history.append(old);
        clock.advance(Duration.ofSeconds(30));
        Event recent = event("a");
        history.append(recent);
        clock.advance(Duration.ofSeconds(31));

        assertThat(history.read("a", Optional.empty(), 10)).containsExactly(recent);
        assertThat(history.after(old.idText(), TopicFilter.of("a")).events()).containsExactly(recent);
        clock.advance(Duration.ofMinutes(1));
        assertThat(history.latestIds()).isEmpty();
        assertThat(history.after(old.idText(), TopicFilter.of("a")).gap()).isTrue();
    }

    @Test
    void unknownAndMalformedIdsAreGaps() {
        History history = new History(10, Duration.ofHours(1), clock);
        history.append(event("a"));

        assertThat(history.after("1-0", TopicFilter.of("a")).gap()).isTrue();
        assertThat(history.after("garbage", TopicFilter.of("a")).gap()).isTrue();
        assertThat(history.after("99999999999999-0", TopicFilter.of("a")).gap()).isTrue();
        assertThatThrownBy(() -> history.read("a", Optional.of("1-0"), 10)).isInstanceOf(HistoryGapException.class);
    }

    @Test
    void readsOneTopicWithALimitAndKeepsTheNewestIdPerTopic() {
        History history = new History(10, Duration.ofHours(1), clock);
        Event a1 = event("a");
        Event b1 = event("b");
        Event a2 = event("a");
        Event a3 = event("a");
        List.of(a1, b1, a2, a3).forEach(history::append);

        assertThat(history.read("a", Optional.empty(), 2)).containsExactly(a1, a2);
        assertThat(history.read("a", Optional.of(a1.idText()), 10)).containsExactly(a2, a3);
        assertThat(history.latestIds()).containsEntry("a", a3.idText()).containsEntry("b", b1.idText());
    }

    private static final class MutableClock extends Clock {
        private Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
