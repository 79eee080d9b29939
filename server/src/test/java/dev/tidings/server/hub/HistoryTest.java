package dev.tidings.server.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class HistoryTest {

    private static final long UNBOUNDED = Long.MAX_VALUE;

    private final MutableClock clock = new MutableClock();
    private EventId lastId;

    private Event event(String topic) {
        return event(topic, "{}");
    }

    private Event event(String topic, String data) {
        lastId = EventId.next(lastId, clock.millis());
        return new Event(lastId, topic, "message", clock.instant(), data);
    }

    /** An event whose envelope is exactly {@code size} bytes. */
    private Event sized(String topic, int size) {
        int envelope = event(topic, "\"\"").size();
        return event(topic, "\"" + "x".repeat(size - envelope) + "\"");
    }

    private History history(int capacity) {
        return new History(capacity, UNBOUNDED, Duration.ofHours(1), clock);
    }

    private static HistoryPage all(History history, String topic) {
        return history.read(topic, Optional.empty(), Integer.MAX_VALUE, UNBOUNDED);
    }

    @Test
    void replaysEverythingAfterAKnownIdThatTheFilterMatches() {
        History history = history(10);
        Event first = event("a");
        history.append(first);
        Event second = event("b");
        history.append(second);
        Event third = event("a");
        history.append(third);

        Replay replay = history.after(first.idText(), TopicFilter.of("a"), 10);

        assertThat(replay.isReset()).isFalse();
        assertThat(replay.resetReason()).isNull();
        assertThat(replay.events()).containsExactly(third);
        assertThat(history.after(third.idText(), TopicFilter.of("a", "b"), 10).events()).isEmpty();
    }

    @Test
    void aReplayOfMoreThanItsMaximumIsTooManyMissed() {
        History history = history(10);
        Event start = event("a");
        history.append(start);
        List<Event> missed = List.of(event("a"), event("b"), event("a"));
        missed.forEach(history::append);

        assertThat(history.after(start.idText(), TopicFilter.of("a", "b"), 3).events()).containsExactlyElementsOf(missed);
        Replay tooMany = history.after(start.idText(), TopicFilter.of("a", "b"), 2);
        assertThat(tooMany.isReset()).isTrue();
        assertThat(tooMany.resetReason()).isEqualTo("too-many-missed");
        assertThat(tooMany.events()).isEmpty();
        // Only events the filter matches count towards the maximum.
        assertThat(history.after(start.idText(), TopicFilter.of("a"), 2).events()).containsExactly(missed.get(0), missed.get(2));
    }

    @Test
    void anIdPushedOutBySizeIsAGapButTheNewestEvictedIdIsNot() {
        History history = history(2);
        Event first = event("a");
        Event second = event("a");
        Event third = event("a");
        Event fourth = event("a");
        List.of(first, second, third, fourth).forEach(history::append);

        Replay gap = history.after(first.idText(), TopicFilter.of("a"), 10);
        assertThat(gap.isReset()).isTrue();
        assertThat(gap.resetReason()).isEqualTo("history-gap");
        // The client saw 'second', the newest evicted: it missed nothing that was dropped.
        Replay fromSecond = history.after(second.idText(), TopicFilter.of("a"), 10);
        assertThat(fromSecond.isReset()).isFalse();
        assertThat(fromSecond.events()).containsExactly(third, fourth);
        assertThat(history.retainedEvents()).isEqualTo(2);
    }

    @Test
    void retainedBytesNeverExceedTheByteBoundAndTheOldestLeaveFirst() {
        History history = new History(1000, 1000, Duration.ofHours(1), clock);
        List<Event> appended = new ArrayList<>();
        for (int n = 0; n < 20; n++) {
            Event event = sized(n % 2 == 0 ? "a" : "b", 150 + n);
            appended.add(event);
            history.append(event);
            assertThat(history.retainedBytes()).as("after %d appends", n + 1).isLessThanOrEqualTo(1000);
        }

        // As many of the newest as fit in 1000 bytes: 169 + 168 + … + 164 = 999 (with 163 it would be 1162).
        List<Event> kept = appended.subList(14, 20);
        assertThat(history.retainedEvents()).isEqualTo(6);
        assertThat(history.retainedBytes()).isEqualTo(kept.stream().mapToLong(Event::size).sum()).isEqualTo(999);
        assertThat(all(history, "a").events()).containsExactly(appended.get(14), appended.get(16), appended.get(18));
        // The last event that left is the resume point that still replays everything retained.
        assertThat(history.after(appended.get(13).idText(), TopicFilter.of("a", "b"), 100).events())
                .containsExactlyElementsOf(kept);
        assertThat(history.after(appended.get(12).idText(), TopicFilter.of("a", "b"), 100).isReset()).isTrue();
    }

    @Test
    void anEventLargerThanTheByteBoundLeavesAtOnceAsTheNewestEvicted() {
        History history = new History(10, 500, Duration.ofHours(1), clock);
        Event small = sized("a", 100);
        history.append(small);
        Event huge = sized("a", 501);
        history.append(huge);

        assertThat(history.retainedBytes()).isZero();
        assertThat(history.retainedEvents()).isZero();
        assertThat(history.latestIds()).isEmpty();
        // A client that received it live resumes with nothing missed; one that saw only the small one cannot.
        assertThat(history.after(huge.idText(), TopicFilter.of("a"), 10).isReset()).isFalse();
        assertThat(history.after(small.idText(), TopicFilter.of("a"), 10).isReset()).isTrue();

        Event next = sized("a", 200);
        history.append(next);
        assertThat(history.retainedBytes()).isEqualTo(200);
        assertThat(history.after(huge.idText(), TopicFilter.of("a"), 10).events()).containsExactly(next);
    }

    @Test
    void eventsExpireAfterTheTtl() {
        History history = new History(100, UNBOUNDED, Duration.ofMinutes(1), clock);
        Event old = event("a");
        history.append(old);
        clock.advance(Duration.ofSeconds(30));
        Event recent = event("a");
        history.append(recent);
        clock.advance(Duration.ofSeconds(31));

        assertThat(all(history, "a").events()).containsExactly(recent);
        assertThat(history.last("a", 10)).containsExactly(recent);
        assertThat(history.retainedEvents()).isEqualTo(1);
        assertThat(history.retainedBytes()).isEqualTo(recent.size());
        assertThat(history.after(old.idText(), TopicFilter.of("a"), 10).events()).containsExactly(recent);
        clock.advance(Duration.ofMinutes(1));
        assertThat(history.latestIds()).isEmpty();
        assertThat(history.retainedBytes()).isZero();
        assertThat(history.after(old.idText(), TopicFilter.of("a"), 10).isReset()).isTrue();
    }

    @Test
    void unknownAndMalformedIdsAreGaps() {
        History history = history(10);
        history.append(event("a"));

        assertThat(history.after("1-0", TopicFilter.of("a"), 10).resetReason()).isEqualTo("history-gap");
        assertThat(history.after("garbage", TopicFilter.of("a"), 10).isReset()).isTrue();
        assertThat(history.after("99999999999999-0", TopicFilter.of("a"), 10).isReset()).isTrue();
        assertThatThrownBy(() -> history.read("a", Optional.of("1-0"), 10, UNBOUNDED))
                .isInstanceOf(HistoryGapException.class);
    }

    @Test
    void signalsAreRejected() {
        History history = history(10);
        Event signal = Event.signal("chat/lobby", "presence", clock.instant(), "{\"members\":1}");

        assertThatThrownBy(() -> history.append(signal)).isInstanceOf(IllegalArgumentException.class);
        assertThat(history.retainedEvents()).isZero();
        assertThat(history.latestIds()).isEmpty();
    }

    @Test
    void readsOneTopicPageByPageByLimitSayingWhetherMoreRemain() {
        History history = history(10);
        Event a1 = event("a");
        Event b1 = event("b");
        Event a2 = event("a");
        Event a3 = event("a");
        Event b2 = event("b");
        List.of(a1, b1, a2, a3, b2).forEach(history::append);

        HistoryPage first = history.read("a", Optional.empty(), 2, UNBOUNDED);
        assertThat(first.events()).containsExactly(a1, a2);
        assertThat(first.more()).isTrue();
        HistoryPage second = history.read("a", Optional.of(a2.idText()), 2, UNBOUNDED);
        assertThat(second.events()).containsExactly(a3);
        assertThat(second.more()).as("b2 follows, but no more of topic a").isFalse();
        HistoryPage exact = history.read("a", Optional.of(a1.idText()), 2, UNBOUNDED);
        assertThat(exact.events()).containsExactly(a2, a3);
        assertThat(exact.more()).isFalse();
        assertThat(history.read("a", Optional.of(a3.idText()), 2, UNBOUNDED)).isEqualTo(new HistoryPage(List.of(), false));
        assertThat(history.latestIds()).containsEntry("a", a3.idText()).containsEntry("b", b2.idText());
    }

    @Test
    void readsPageByPageByBytesAlwaysGivingAtLeastOneEvent() {
        History history = history(10);
        Event a1 = sized("a", 100);
        Event a2 = sized("a", 100);
        Event a3 = sized("a", 300);
        Event a4 = sized("a", 100);
        List.of(a1, a2, a3, a4).forEach(history::append);

        HistoryPage first = history.read("a", Optional.empty(), 10, 250);
        assertThat(first.events()).containsExactly(a1, a2);
        assertThat(first.more()).isTrue();
        HistoryPage oversized = history.read("a", Optional.of(a2.idText()), 10, 250);
        assertThat(oversized.events()).as("an event over the byte cap comes alone").containsExactly(a3);
        assertThat(oversized.more()).isTrue();
        HistoryPage rest = history.read("a", Optional.of(a3.idText()), 10, 250);
        assertThat(rest.events()).containsExactly(a4);
        assertThat(rest.more()).isFalse();
        assertThat(history.read("a", Optional.empty(), 10, 200).events()).as("exactly at the cap").containsExactly(a1, a2);
    }

    @Test
    void lastGivesTheNewestEventsOfATopicOldestFirst() {
        History history = history(10);
        Event a1 = event("a");
        Event b1 = event("b");
        Event a2 = event("a");
        Event a3 = event("a");
        Event b2 = event("b");
        List.of(a1, b1, a2, a3, b2).forEach(history::append);

        assertThat(history.last("a", 2)).containsExactly(a2, a3);
        assertThat(history.last("a", 10)).containsExactly(a1, a2, a3);
        assertThat(history.last("b", 1)).containsExactly(b2);
        assertThat(history.last("c", 5)).isEmpty();
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
