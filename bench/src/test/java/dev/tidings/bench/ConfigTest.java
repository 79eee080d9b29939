package dev.tidings.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigTest {

    @Test
    void fullRunMeasuresTheIssuesSizesAndWritesTheCommittedReport() {
        Config config = Config.parse(new String[] {"--root", "/repo"});
        assertThat(config.quick).isFalse();
        assertThat(config.fanoutSizes).containsExactly(1000, 2000, 5000, 10000);
        assertThat(config.scenarios).containsExactly("fanout", "rate", "h2c", "gzip", "chat", "idle", "storm",
                "throughput");
        assertThat(config.rateRow).isEqualTo(new Config.Shape(2000, 20));
        assertThat(config.h2cRow).isEqualTo(new Config.Shape(2000, 10));
        assertThat(config.h2cStreamsPerConnection).isEqualTo(100);
        assertThat(config.gzipRow).isEqualTo(new Config.Shape(2000, 10));
        assertThat(config.tidingsApp).isEqualTo(Path.of("/repo/server/target/quarkus-app"));
        assertThat(config.profile).isFalse();
        assertThat(config.stormSubscribers).isEqualTo(5000);
        assertThat(config.primePublishes).isEqualTo(20000);
        assertThat(config.describe().get("fan-out")).contains("20000 publishes to a topic 50 other streams read");
        assertThat(Config.parse(new String[] {"--prime", "0"}).primePublishes).isZero();
        assertThat(config.chatRooms * config.chatMembers).isEqualTo(10000);
        assertThat(config.servers).containsExactly("tidings", "nchan", "node");
        assertThat(config.report).isEqualTo(Path.of("/repo/bench/RESULTS.md"));
        assertThat(config.resultsDir).isEqualTo(Path.of("/repo/bench/results"));
    }

    @Test
    void quickRunIsSmallAndWritesBesideTheRealReport() {
        Config config = Config.parse(new String[] {"--fanout-sizes", "50", "--quick", "--servers", "tidings,node"});
        assertThat(config.quick).isTrue();
        assertThat(config.fanoutSizes).containsExactly(50);
        assertThat(config.idleConnections).isLessThan(1000);
        assertThat(config.primePublishes).isLessThan(1000);
        assertThat(config.servers).containsExactly("tidings", "node");
        assertThat(config.report).isEqualTo(Path.of("./bench/results/quick/RESULTS.md"));
        // every scenario, the new fan-out rows too, at a few hundred streams
        assertThat(config.scenarios).isEqualTo(Config.ALL_SCENARIOS);
        assertThat(List.of(config.rateRow, config.h2cRow, config.gzipRow, config.profileRow))
                .allMatch(shape -> shape.subscribers() <= 300);
    }

    @Test
    void rollingModeRestartsThreeRedisReplicasAndTheEmbeddedServerAndWritesItsOwnReport() {
        Config config = Config.parse(new String[] {"--rolling", "--root", "/repo"});
        assertThat(config.scenarios).containsExactly("rolling");
        assertThat(config.servers).containsExactly("tidings-redis-x3", "nchan-redis-x3", "tidings");
        assertThat(config.rollingSdk).isEqualTo(1000);
        assertThat(config.rollingRaw).isEqualTo(200);
        assertThat(config.rollingRestarts).as("every replica").isZero();
        assertThat(config.report).isEqualTo(Path.of("/repo/bench/RESULTS-rolling.md"));
        assertThat(config.resultsDir).isEqualTo(Path.of("/repo/bench/results/rolling"));
        assertThat(Config.ALL_SCENARIOS).as("it needs nginx: only when asked for").doesNotContain("rolling");

        Config small = Config.parse(new String[] {"--quick", "--rolling", "--root", "/repo", "--servers",
                "tidings-redis-x2", "--rolling-restarts", "1"});
        assertThat(small.servers).containsExactly("tidings-redis-x2");
        assertThat(small.rollingRestarts).isEqualTo(1);
        assertThat(small.rollingSdk + small.rollingRaw).isEqualTo(50);
        assertThat(small.report).isEqualTo(Path.of("/repo/bench/results/quick/RESULTS-rolling.md"));

        assertThatThrownBy(() -> Config.parse(new String[] {"--rolling", "--rolling-programs", "0"}))
                .isInstanceOf(Config.UsageException.class).hasMessageContaining("--rolling-programs");
    }

    @Test
    void profileModeRunsTidingsAloneUnderJfrAndWritesBesideTheResults() {
        Config config = Config.parse(new String[] {"--profile", "--root", "/repo", "--servers", "tidings,nchan"});
        assertThat(config.profile).isTrue();
        assertThat(config.jfr).isTrue();
        assertThat(config.servers).containsExactly("tidings");
        assertThat(config.profileRow).isEqualTo(new Config.Shape(2000, 20));
        assertThat(config.profileSummary()).isEqualTo(Path.of("/repo/bench/results/profile.txt"));

        Config quick = Config.parse(new String[] {"--quick", "--profile", "--root", "/repo"});
        assertThat(quick.profileSummary()).isEqualTo(Path.of("/repo/bench/results/quick/profile.txt"));
        assertThat(quick.profileRow.subscribers()).isLessThan(2000);
    }

    @Test
    void readsFanoutRowsAsSubscribersTimesRate() {
        Config config = Config.parse(new String[] {"--rate-row", "3000x25", "--h2c-row", " 500 x 2.5 ",
                "--h2c-streams", "50", "--gzip-row", "10x1", "--profile-row", "1000x40", "--scenarios", "h2c,gzip",
                "--tidings-app", "/tmp/before/server/target/quarkus-app"});
        assertThat(config.rateRow).isEqualTo(new Config.Shape(3000, 25));
        assertThat(config.h2cRow).isEqualTo(new Config.Shape(500, 2.5));
        assertThat(config.h2cStreamsPerConnection).isEqualTo(50);
        assertThat(config.gzipRow).isEqualTo(new Config.Shape(10, 1));
        assertThat(config.profileRow).isEqualTo(new Config.Shape(1000, 40));
        assertThat(config.scenarios).containsExactly("h2c", "gzip");
        assertThat(config.tidingsApp).isEqualTo(Path.of("/tmp/before/server/target/quarkus-app"));
        assertThat(config.rateRow.label()).isEqualTo("3000x25");
        assertThat(config.h2cRow.label()).isEqualTo("500x2.5");
        assertThat(config.rateRow).hasToString("3000 × 25/s");
        for (String bad : new String[] {"2000", "2000x", "x20", "0x10", "2000x0", "2000x10x1", "twox10"}) {
            assertThatThrownBy(() -> Config.parse(new String[] {"--rate-row", bad}))
                    .as(bad).isInstanceOf(Config.UsageException.class).hasMessageContaining("--rate-row");
        }
        assertThatThrownBy(() -> Config.parse(new String[] {"--h2c-streams", "0"}))
                .isInstanceOf(Config.UsageException.class);
    }

    @Test
    void takesJvmOptionsAndJfr() {
        Config config = Config.parse(new String[] {"--tidings-opts", " -Xmx512m  -XX:+UseSerialGC ", "--jfr",
                "--nchan-workers", "1"});
        assertThat(config.tidingsJvmOptions).isEqualTo(List.of("-Xmx512m", "-XX:+UseSerialGC"));
        assertThat(config.jfr).isTrue();
        assertThat(config.nchanWorkers).isEqualTo("1");
    }

    @Test
    void runsTidingsOnTheJdkNamedAndRefusesAFolderWithoutOne(@TempDir Path dir) {
        Path jdk = Path.of(System.getProperty("java.home"));
        assertThat(Config.parse(new String[] {"--tidings-java", jdk.toString()}).tidingsJavaHome).isEqualTo(jdk);
        assertThat(Config.parse(new String[] {}).tidingsJavaHome).isNull();
        assertThatThrownBy(() -> Config.parse(new String[] {"--tidings-java", dir.toString()}))
                .isInstanceOf(Config.UsageException.class).hasMessageContaining("--tidings-java");
    }

    @Test
    void runsTidingsOnTheRedisBusWithOneToThreeReplicas() {
        Config config = Config.parse(new String[] {"--servers", "tidings,tidings-redis,tidings-redis-x2,tidings-redis-x3,nchan"});
        assertThat(config.servers).containsExactly("tidings", "tidings-redis", "tidings-redis-x2", "tidings-redis-x3", "nchan");
        Config profile = Config.parse(new String[] {"--profile", "--servers", "tidings-redis"});
        assertThat(profile.servers).containsExactly("tidings-redis");
        assertThatThrownBy(() -> Config.parse(new String[] {"--servers", "tidings-redis-x4"}))
                .isInstanceOf(Config.UsageException.class).hasMessageContaining("tidings-redis-x4");
    }

    @Test
    void runsTheNativeExecutableTheBuildLeftOrTheOneGiven(@TempDir Path root) throws IOException {
        Path runner = Files.createDirectories(root.resolve("server/target")).resolve("tidings-server-1.0-runner");
        Files.writeString(runner, "");
        Config built = Config.parse(new String[] {"--root", root.toString(), "--servers", "tidings,tidings-native"});
        assertThat(built.servers).containsExactly("tidings", "tidings-native");
        assertThat(built.tidingsBinary).isEqualTo(runner);
        Config given = Config.parse(new String[] {"--root", root.toString(), "--tidings-binary", "/opt/tidings/application"});
        assertThat(given.tidingsBinary).isEqualTo(Path.of("/opt/tidings/application"));
    }

    @Test
    void refusesWhatItDoesNotKnow() {
        assertThatThrownBy(() -> Config.parse(new String[] {"--servers", "tidings,mercure"}))
                .isInstanceOf(Config.UsageException.class).hasMessageContaining("mercure");
        assertThatThrownBy(() -> Config.parse(new String[] {"--rate", "fast"}))
                .isInstanceOf(Config.UsageException.class).hasMessageContaining("--rate");
        assertThatThrownBy(() -> Config.parse(new String[] {"--bogus", "1"})).isInstanceOf(Config.UsageException.class);
        assertThatThrownBy(() -> Config.parse(new String[] {"--duration"})).isInstanceOf(Config.UsageException.class);
        assertThatThrownBy(() -> Config.parse(new String[] {"--nchan-workers", "1; evil"}))
                .isInstanceOf(Config.UsageException.class);
    }
}
