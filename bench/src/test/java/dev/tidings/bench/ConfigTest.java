package dev.tidings.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

class ConfigTest {

    @Test
    void fullRunMeasuresTheIssuesSizesAndWritesTheCommittedReport() {
        Config config = Config.parse(new String[] {"--root", "/repo"});
        assertThat(config.quick).isFalse();
        assertThat(config.fanoutSizes).containsExactly(1000, 5000, 10000);
        assertThat(config.stormSubscribers).isEqualTo(5000);
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
        assertThat(config.servers).containsExactly("tidings", "node");
        assertThat(config.report).isEqualTo(Path.of("./bench/results/quick/RESULTS.md"));
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
