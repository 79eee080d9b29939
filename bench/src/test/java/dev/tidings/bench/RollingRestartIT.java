package dev.tidings.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.tidings.bench.report.Results;
import dev.tidings.bench.report.Results.RollingClients;
import dev.tidings.bench.report.Results.RollingRun;
import dev.tidings.bench.support.Prerequisites;

/**
 * The rolling-restart scenario, small: the packaged server as two replicas on one Redis behind
 * nginx, one of them restarted (SIGTERM, drain, start, ready) under 40 Java SDK and 10 raw SSE
 * clients and a steady publisher, all through nginx; and the embedded bus's single process
 * restarted the same way, for contrast. The figures come from the bench's own results file.
 */
@ExtendWith(Prerequisites.class)
class RollingRestartIT {

    private static final Path OUT = Path.of("target/rolling-it");
    private static Map<String, RollingRun> runs;

    @BeforeAll
    @Timeout(300)
    static void runTheScenario() throws Exception {
        Path server = Path.of("../server/target/quarkus-app/quarkus-run.jar");
        assertThat(server).as("the packaged server (./mvnw package -pl server)").isRegularFile();
        Main.main(new String[] {"--root", "..", "--quick", "--rolling", "--servers", "tidings-redis-x2,tidings",
                "--rolling-restarts", "1", "--rolling-sdk", "40", "--rolling-raw", "10",
                "--report", OUT.resolve("RESULTS.md").toString(), "--results-dir", OUT.toString()});
        Results results = new ObjectMapper().readValue(OUT.resolve("results.json").toFile(), Results.class);
        runs = results.rolling().stream().collect(Collectors.toMap(RollingRun::server, Function.identity()));
    }

    @Test
    void onTheRedisBusEveryClientGetsEveryAcceptedEventOnceWithNoReset() {
        RollingRun run = runs.get("tidings-redis-x2");
        assertThat(run).as("the Redis run finished (see target/rolling-it and target/logs)").isNotNull();
        assertThat(run.restarted()).isEqualTo(1);
        assertThat(run.published()).as("events accepted during the restart").isPositive();
        assertThat(run.clients()).extracting(RollingClients::kind).containsExactly("Java SDK", "raw EventSource");
        for (RollingClients clients : run.clients()) {
            assertThat(clients.connected()).as(clients.kind() + " connected").isEqualTo(clients.clients());
            assertThat(clients.openAtEnd()).as(clients.kind() + " open again at the end").isEqualTo(clients.clients());
            assertThat(clients.cuts()).as(clients.kind() + " streams cut by the restart").isPositive();
            assertThat(clients.expected()).as(clients.kind() + " events due").isEqualTo(run.published() * clients.clients());
            assertThat(clients.lost()).as(clients.kind() + " lost").isZero();
            assertThat(clients.received()).as(clients.kind() + " received").isEqualTo(clients.expected());
            assertThat(clients.duplicates()).as(clients.kind() + " duplicates").isZero();
            assertThat(clients.resets()).as(clients.kind() + " resets").isZero();
        }
        assertThat(run.refused()).as("a draining replica on the Redis bus still takes publishes").isZero();
    }

    @Test
    void onTheEmbeddedBusARestartIsAnExplicitResetForEveryClientNeverASilentLoss() {
        RollingRun run = runs.get("tidings");
        assertThat(run).as("the embedded run finished (see target/rolling-it and target/logs)").isNotNull();
        assertThat(run.published()).isPositive();
        for (RollingClients clients : run.clients()) {
            assertThat(clients.openAtEnd()).as(clients.kind() + " open again at the end").isEqualTo(clients.clients());
            assertThat(clients.clientsWithResets()).as(clients.kind() + " told of the gap").isEqualTo(clients.clients());
            assertThat(clients.silentlyLost()).as(clients.kind() + " lost without a reset").isZero();
            assertThat(clients.duplicates()).as(clients.kind() + " duplicates").isZero();
        }
    }

    @Test
    void theReportHasTheRollingRestartSection() throws Exception {
        String report = Files.readString(OUT.resolve("RESULTS.md"));
        assertThat(report).contains("## Rolling restart").contains("Tidings, Redis bus, 2 replicas")
                .contains("embedded bus, 1 replica").contains("| raw EventSource |");
    }
}
