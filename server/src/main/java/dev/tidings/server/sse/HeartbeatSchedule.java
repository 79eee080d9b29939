package dev.tidings.server.sse;

import java.time.Duration;

/**
 * When an idle stream gets its heartbeat. Each event loop counts ticks of a fifth of the heartbeat
 * period; a stream notes the tick count when it writes, and is due a heartbeat once
 * {@link #TICKS_PER_HEARTBEAT} ticks have passed since. Wherever its last write fell between two
 * ticks, it is then silent for at most four fifths of the period, never longer than the period.
 */
final class HeartbeatSchedule {

    static final int TICKS_PER_HEARTBEAT = 4;

    private HeartbeatSchedule() {
    }

    static long tickMillis(Duration heartbeat) {
        return Math.max(1, heartbeat.toMillis() / (TICKS_PER_HEARTBEAT + 1));
    }

    /** Whether a stream that last wrote at tick {@code lastWriteTick} is due a heartbeat at tick {@code tick}. */
    static boolean isDue(long lastWriteTick, long tick) {
        return lastWriteTick <= tick - TICKS_PER_HEARTBEAT;
    }
}
