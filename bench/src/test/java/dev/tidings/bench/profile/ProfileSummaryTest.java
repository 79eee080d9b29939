package dev.tidings.bench.profile;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import dev.tidings.bench.report.Results.Latency;
import dev.tidings.bench.report.Results.LoadRun;

class ProfileSummaryTest {

    private static LoadRun run() {
        Histogram latency = new Histogram(1, 60_000_000, 3);
        latency.recordValueWithCount(9_000, 98);
        latency.recordValueWithCount(25_000, 2);
        return new LoadRun("profile", "tidings", 2000, 1, 20, 2000, 30, 600, 0, 0, 1_200_000, 40_000, 1_200_000, 0, 0,
                0, 0, 0, Latency.of(latency), 1.0, 3.0, 12.0, 10.0, 9.0, 300_000, 1400, 1_000_000, 1_030_000,
                Map.of("vert.x-eventloo", 9.0, "GC Thread#*", 1.5, "C2 CompilerThre", 0.5, "VM Thread", 1.0), "");
    }

    private static JfrProfile profile() {
        Tally self = new Tally();
        self.add("io.netty.channel.epoll.Native.epollWait", 10);
        self.add("dev.tidings.server.hub.Hub.publish", 30);
        self.add("com.fasterxml.jackson.core.json.UTF8JsonGenerator.writeString", 60);
        for (int i = 0; i < 40; i++) {
            self.add("method" + i);
        }
        Tally stack = new Tally();
        stack.add("io.netty.channel.nio.NioEventLoop.run", 140);
        stack.add("dev.tidings.server.hub.Hub.publish", 90);
        Tally threads = new Tally();
        threads.add("vert.x-eventloop-thread-*", 130);
        threads.add("executor-thread-*", 10);
        Tally natives = new Tally();
        natives.add("io.netty.channel.epoll.Native.epollWait", 300);
        natives.add("io.netty.channel.unix.FileDescriptor.writevAddresses", 100);
        Tally allocated = new Tally();
        allocated.add("byte[]", 3L << 30);
        allocated.add("java.lang.String", 1L << 30);
        Tally pauses = new Tally();
        pauses.add("ParallelScavenge", 60_000_000);
        Tally count = new Tally();
        count.add("ParallelScavenge", 12);
        return new JfrProfile(Duration.ofSeconds(30), 140, self, stack, threads, natives, allocated, pauses, count,
                Duration.ofMillis(8), 0.45, 0.9);
    }

    @Test
    void summarisesTheRunTheThreadsTheHotMethodsGcAndAllocation() {
        String text = ProfileSummary.render(run(), profile(), "2026-11-29T12:00:00Z", "bench/run.sh --profile",
                Map.of("tidings", "Tidings (Quarkus 3.30.8, JDK 17)", "JDK", "OpenJDK 17"));

        assertThat(text).startsWith("Tidings profile: 2 000 subscribers × 20 events/s over HTTP/1.1, under JFR "
                + "(settings=profile, stacks of up to 256 frames)");
        assertThat(text).contains("run 2026-11-29T12:00:00Z with `bench/run.sh --profile`; Tidings (Quarkus 3.30.8");
        assertThat(text).contains("delivered 40 000/s, lost 0, duplicates 0, streams open 2 000 of 2 000");
        assertThat(text).contains("latency ms: p50 9.01, p90 9.01, p99 25.0");
        assertThat(text).contains("server CPU 12.00 s = 10.00 s per million delivered events");
        assertThat(text).contains("all processes 90.0% of all cores, the server's JVM 45.0%");
        // threads by CPU, largest first, with shares of 12 s
        assertThat(text).contains("Server CPU by thread, 12.00 s");
        assertThat(text).contains("    9.00 s  75.0%  vert.x-eventloo\n    1.50 s  12.5%  GC Thread#*\n");
        // the top 25 methods of 140 samples, largest first
        assertThat(text).contains("Java execution samples: 140");
        assertThat(text).contains("   42.9%        60  com.fasterxml.jackson.core.json.UTF8JsonGenerator.writeString\n"
                + "   21.4%        30  dev.tidings.server.hub.Hub.publish\n");
        String hot = text.substring(text.indexOf("hot methods, top frame"), text.indexOf("on the stack"));
        assertThat(hot.lines().count()).isEqualTo(1 + ProfileSummary.HOT_METHODS);
        // on the stack: share of the samples, not of the sum
        assertThat(text).contains("  100.0%       140  io.netty.channel.nio.NioEventLoop.run\n"
                + "   64.3%        90  dev.tidings.server.hub.Hub.publish\n");
        assertThat(text).contains("   25.0%       100  io.netty.channel.unix.FileDescriptor.writevAddresses");
        assertThat(text).contains("Garbage collection: 12 collections, pauses 60.0 ms in total (0.2% of the window), "
                + "longest 8.0 ms\n  ParallelScavenge: 12 collections, 60.0 ms\n");
        assertThat(text).contains("Allocation (jdk.ObjectAllocationSample weights): 4.0 GiB in the window, 136.5 MiB/s");
        assertThat(text).contains("   75.0%   3.0 GiB  byte[]\n   25.0%   1.0 GiB  java.lang.String\n");
    }

    @Test
    void formatsSharesAndSizes() {
        assertThat(ProfileSummary.percent(0.1234)).isEqualTo("12.3%");
        assertThat(ProfileSummary.bytes(512)).isEqualTo("512 B");
        assertThat(ProfileSummary.bytes(1536)).isEqualTo("1.5 KiB");
        assertThat(ProfileSummary.bytes(5L << 30)).isEqualTo("5.0 GiB");
    }
}
