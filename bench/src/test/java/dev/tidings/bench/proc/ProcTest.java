package dev.tidings.bench.proc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

class ProcTest {

    @Test
    void parsesStatEvenWhenTheCommandHoldsSpacesAndParentheses() {
        String line = "4242 (nginx: worker (x) 1) S 4241 4241 4241 0 -1 4194624 1200 0 0 0 "
                + "1234 567 0 0 20 0 1 0 100 123456 789 18446744073709551615";
        Proc.Stat stat = Proc.parseStat(line);
        assertThat(stat.pid()).isEqualTo(4242);
        assertThat(stat.comm()).isEqualTo("nginx: worker (x) 1");
        assertThat(stat.state()).isEqualTo('S');
        assertThat(stat.ppid()).isEqualTo(4241);
        assertThat(stat.utime()).isEqualTo(1234);
        assertThat(stat.stime()).isEqualTo(567);
        assertThat(stat.cpuTicks()).isEqualTo(1801);
    }

    @Test
    void refusesWhatIsNotAStatLine() {
        assertThatThrownBy(() -> Proc.parseStat("hello")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Proc.parseStat("1 (x) S 0 1")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void readsKibibyteValuesOfStatusAndSmapsRollup() {
        String status = "Name:\tjava\nVmPeak:\t 9000 kB\nVmRSS:\t  123456 kB\nThreads:\t42\n";
        assertThat(Proc.parseKiB(status, "VmRSS")).isEqualTo(123456);
        assertThat(Proc.parseKiB(status, "VmSwap")).isEqualTo(-1);
        String rollup = "00400000-7ffe [rollup]\nRss:              51200 kB\nPss:              40960 kB\n"
                + "Pss_Anon:         30000 kB\n";
        assertThat(Proc.parseKiB(rollup, "Pss")).isEqualTo(40960);
        assertThat(Proc.parseKiB(rollup, "Rss")).isEqualTo(51200);
    }

    @Test
    void groupsThreadsOfAPoolByName() {
        assertThat(Proc.threadGroup("GC Thread#3")).isEqualTo("GC Thread#*");
        assertThat(Proc.threadGroup("vert.x-eventloop-thread-12")).isEqualTo("vert.x-eventloop-thread-*");
        assertThat(Proc.threadGroup("vert.x-eventloo")).isEqualTo("vert.x-eventloo");
        assertThat(Proc.threadGroup("C2 CompilerThre")).isEqualTo("C2 CompilerThre");
        assertThat(Proc.threadGroup("x2y")).isEqualTo("x2y");
    }

    @Test
    void splitsThisProcessesCpuByThreadGroup() throws Exception {
        assumeTrue(Files.exists(Path.of("/proc/self/task")), "needs Linux /proc");
        int self = (int) ProcessHandle.current().pid();
        AtomicBoolean spinning = new AtomicBoolean(true);
        Thread busy = new Thread(() -> {
            double x = 0;
            while (spinning.get()) {
                x += Math.sqrt(x + 1);
            }
            if (x < 0) {
                throw new AssertionError();
            }
        }, "busy-spinner-7");
        busy.start();
        try {
            // the kernel knows the thread by its Java name, and counts its CPU
            Awaitility.await().atMost(Duration.ofSeconds(20))
                    .until(() -> Proc.threadTicks(List.of(self)).getOrDefault("busy-spinner-*", 0L) > 0);
            Map<String, Long> groups = Proc.threadTicks(List.of(self, Integer.MAX_VALUE));
            assertThat(groups.get("busy-spinner-*")).isPositive();
            assertThat(groups.values().stream().mapToLong(Long::longValue).sum())
                    .isLessThanOrEqualTo(Proc.sample(List.of(self)).cpuTicks());
        } finally {
            spinning.set(false);
            busy.join();
        }
    }

    @Test
    void samplesThisProcessTree() {
        assumeTrue(Files.exists(Path.of("/proc/self/stat")), "needs Linux /proc");
        int self = (int) ProcessHandle.current().pid();

        List<Integer> tree = Proc.tree(self);
        Proc.Sample sample = Proc.sample(tree);

        assertThat(tree).startsWith(self);
        assertThat(sample.cpuTicks()).isPositive();
        assertThat(sample.rssKiB()).isPositive();
        assertThat(sample.pssKiB()).isPositive();
        assertThat(Proc.clockTicks()).isPositive();
        assertThat(Proc.tree(Integer.MAX_VALUE)).isEmpty();
    }
}
