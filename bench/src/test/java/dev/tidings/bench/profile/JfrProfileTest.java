package dev.tidings.bench.profile;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import jdk.jfr.Recording;

/**
 * A real flight recording of this JVM: work done inside the window is summarised, work done
 * before it is not.
 */
class JfrProfileTest {

    /** A class only this test allocates. */
    static final class Marker {
        final long value;

        Marker(long value) {
            this.value = value;
        }
    }

    static volatile Object sink;

    /** Keeps a thread in Java code for a while; runs to completion, so nothing waits on a clock. */
    static double spinInsideTheWindow(long iterations) {
        double x = 0;
        for (long i = 0; i < iterations; i++) {
            x += Math.sqrt(x + i);
        }
        return x;
    }

    static double spinBeforeTheWindow(long iterations) {
        double x = 1;
        for (long i = 0; i < iterations; i++) {
            x += Math.cbrt(x + i);
        }
        return x;
    }

    @Test
    void summarisesWhatHappenedInTheWindowOnly(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("test.jfr");
        Instant from;
        Instant to;
        try (Recording recording = new Recording()) {
            recording.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(10));
            recording.enable("jdk.ObjectAllocationSample").with("throttle", "1000/s");
            recording.enable("jdk.GarbageCollection");
            recording.enable("jdk.CPULoad").withPeriod(Duration.ofMillis(100));
            recording.start();
            sink = spinBeforeTheWindow(100_000_000L);
            from = Instant.now();
            sink = spinInsideTheWindow(300_000_000L);
            List<Marker> markers = new ArrayList<>();
            for (int round = 0; round < 50; round++) {
                markers.clear();
                for (int i = 0; i < 200_000; i++) {
                    markers.add(new Marker(i));
                }
                sink = markers.get(round);
            }
            System.gc();
            to = Instant.now();
            recording.stop();
            recording.dump(file);
        }

        JfrProfile profile = JfrProfile.read(file, from, to);

        assertThat(profile.window()).isEqualTo(Duration.between(from, to));
        assertThat(profile.executionSamples()).isPositive();
        List<String> onStack = profile.stackMethods().all().stream().map(Tally.Share::key).toList();
        assertThat(onStack).contains(JfrProfileTest.class.getName() + ".spinInsideTheWindow")
                .doesNotContain(JfrProfileTest.class.getName() + ".spinBeforeTheWindow");
        assertThat(profile.selfMethods().total()).isEqualTo(profile.executionSamples());
        assertThat(profile.sampledThreads().total()).isEqualTo(profile.executionSamples());
        assertThat(profile.allocatedBytes().all()).extracting(Tally.Share::key)
                .contains(Marker.class.getName());
        assertThat(profile.gcCount().total()).isPositive();
        assertThat(profile.gcPauses().total()).isPositive();
        assertThat(profile.longestGcPause()).isPositive();
        assertThat(profile.machineCpuLoad()).isBetween(0.0, 1.0);

        JfrProfile before = JfrProfile.read(file, from.minusSeconds(3600), from.minusSeconds(3500));
        assertThat(before.executionSamples()).isZero();
        assertThat(before.gcCount().total()).isZero();
    }

    @Test
    void namesLambdasByTheClassThatMadeThem() {
        assertThat(JfrProfile.typeName("dev.tidings.server.sse.StreamLoop$$Lambda$430+0x00007fc0333751f8.403094604"))
                .isEqualTo("dev.tidings.server.sse.StreamLoop$$Lambda");
        assertThat(JfrProfile.typeName("io.netty.channel.epoll.EpollEventLoop")).isEqualTo(
                "io.netty.channel.epoll.EpollEventLoop");
    }

    @Test
    void namesArrayClassesAsJavaWritesThem() {
        assertThat(JfrProfile.className("[B")).isEqualTo("byte[]");
        assertThat(JfrProfile.className("[[J")).isEqualTo("long[][]");
        assertThat(JfrProfile.className("[Ljava.lang.Object;")).isEqualTo("java.lang.Object[]");
        assertThat(JfrProfile.className("java.lang.String")).isEqualTo("java.lang.String");
    }
}
