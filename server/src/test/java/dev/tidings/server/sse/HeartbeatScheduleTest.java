package dev.tidings.server.sse;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * No stream is silent longer than the heartbeat period: the schedule is played out on its own
 * tick arithmetic, for a last write at every millisecond between ticks, with no clock involved.
 */
class HeartbeatScheduleTest {

    @ParameterizedTest(name = "heartbeat {0} ms")
    @ValueSource(longs = { 300, 1007, 2000, 15_000 })
    void anIdleStreamsLongestSilenceIsWithinThePeriodAndNotFarBelowIt(long heartbeatMillis) {
        long tickMillis = HeartbeatSchedule.tickMillis(Duration.ofMillis(heartbeatMillis));
        long longest = 0;
        long shortest = Long.MAX_VALUE;
        for (long lastWrite = 0; lastWrite < 3 * tickMillis; lastWrite++) {
            // Ticks fire at tickMillis, 2 × tickMillis, …; a write notes how many have fired.
            long lastWriteTick = lastWrite / tickMillis;
            long tick = lastWriteTick + 1;
            while (!HeartbeatSchedule.isDue(lastWriteTick, tick)) {
                tick++;
            }
            long silence = tick * tickMillis - lastWrite;
            longest = Math.max(longest, silence);
            shortest = Math.min(shortest, silence);
        }
        assertThat(longest).as("longest silence").isLessThanOrEqualTo(heartbeatMillis);
        // Not a heartbeat on every tick either: an idle stream stays quiet for over half the period.
        assertThat(shortest).as("shortest silence before a heartbeat").isGreaterThan(heartbeatMillis / 2);
    }
}
