package dev.tidings.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

class OfflineTimesTest {

    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    @Test
    void countsEachCutAndItsTimeWithoutAConnection() {
        OfflineTimes offline = new OfflineTimes();
        assertThat(offline.cuts()).isZero();
        assertThat(offline.percentileMillis(99)).as("no cut, no time").isZero();

        for (int i = 1; i <= 100; i++) {
            offline.record(1_000 * MS, (1_000 + i * 10) * MS);
        }

        assertThat(offline.cuts()).isEqualTo(100);
        assertThat(offline.percentileMillis(50)).isEqualTo(500);
        assertThat(offline.percentileMillis(99)).isEqualTo(990);
        assertThat(offline.maxMillis()).isEqualTo(1000);
    }
}
