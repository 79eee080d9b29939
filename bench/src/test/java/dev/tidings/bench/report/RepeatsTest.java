package dev.tidings.bench.report;

import static dev.tidings.bench.report.ReportTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.tidings.bench.report.Results.LoadRun;

class RepeatsTest {

    @Test
    void aRepeatedRowTakesItsMedianCpuRunAndItsMedianP99RunAndSumsItsCounts() {
        List<LoadRun> runs = List.of(
                run("fanout", "tidings", 2000, 10, 0, 9.0, 12_000, 30_000, ""),
                run("fanout", "nchan", 2000, 10, 0, 8.5, 11_000, 26_000, ""),
                run("fanout", "tidings", 2000, 10, 2, 7.0, 10_000, 20_000, "2 dropped"),
                run("fanout", "nchan", 2000, 10, 0, 8.0, 10_500, 24_000, ""),
                run("fanout", "tidings", 2000, 10, 0, 8.0, 11_000, 25_000, ""),
                run("fanout", "nchan", 2000, 10, 0, 9.5, 12_500, 28_000, ""));

        List<LoadRun> medians = Repeats.medians(runs);

        assertThat(medians).extracting(LoadRun::server).containsExactly("tidings", "nchan");
        LoadRun tidings = medians.get(0);
        assertThat(tidings.cpuSecondsPerMillion()).isEqualTo(8.0);
        assertThat(tidings.latency().p99()).isEqualTo(runs.get(4).latency().p99());
        assertThat(tidings.latency().p50()).isEqualTo(runs.get(4).latency().p50());
        assertThat(tidings.lost()).isEqualTo(2);
        assertThat(tidings.expected()).isEqualTo(3 * runs.get(0).expected());
        assertThat(tidings.note()).isEqualTo(
                "median of 3 runs; CPU s per million 9.00 / 7.00 / 8.00, p99 ms 30.0 / 20.0 / 25.0; 2 dropped");
        LoadRun nchan = medians.get(1);
        assertThat(nchan.cpuSecondsPerMillion()).isEqualTo(8.5);
        assertThat(nchan.latency().p99()).isEqualTo(runs.get(1).latency().p99());
    }

    @Test
    void withAnEvenCountTheHigherOfTheMiddleTwoIsTaken() {
        List<LoadRun> runs = List.of(
                run("rate", "tidings", 2000, 20, 0, 7.0, 10_000, 20_000, ""),
                run("rate", "tidings", 2000, 20, 0, 8.0, 11_000, 24_000, ""));

        LoadRun median = Repeats.medians(runs).get(0);

        assertThat(median.cpuSecondsPerMillion()).isEqualTo(8.0);
        assertThat(median.latency().p99()).isEqualTo(runs.get(1).latency().p99());
    }

    @Test
    void rowsRunOnceStayAsTheyAreAndInTheirOrder() {
        List<LoadRun> runs = List.of(
                run("rate", "tidings", 2000, 20, 0, 7.0, 10_000, 20_000, "as it was"),
                run("h2c", "tidings", 2000, 10, 0, 6.0, 9_000, 18_000, ""),
                run("gzip", "tidings", 2000, 10, 0, 9.0, 12_000, 26_000, ""));

        assertThat(Repeats.medians(runs)).containsExactlyElementsOf(runs);
    }

    @Test
    void theReportListsEveryRepeatedRunAndJudgesTheTargetsOnTheMedians() {
        List<LoadRun> runs = List.of(
                run("fanout", "tidings", 1000, 10, 0, 9.0, 5_000, 15_000, ""),
                run("fanout", "nchan", 1000, 10, 0, 8.0, 5_000, 14_000, ""),
                run("fanout", "nchan", 1000, 10, 0, 9.5, 6_000, 16_000, ""),
                run("fanout", "tidings", 1000, 10, 0, 7.5, 4_000, 13_000, ""),
                run("fanout", "tidings", 1000, 10, 0, 8.5, 4_500, 14_500, ""),
                run("fanout", "nchan", 1000, 10, 0, 8.8, 5_500, 15_500, ""));
        Results base = ReportTest.sample();
        Results results = new Results(base.date(), base.command(), false, base.machine(), base.versions(),
                base.settings(), Repeats.medians(runs), List.of(), List.of(), List.of(), List.of(), List.of(),
                Map.of(), List.of(), runs);

        String md = Report.markdown(results, "", List.of());

        assertThat(md).contains("### Repeated runs");
        assertThat(md).contains("| 1 000 × 10/s | Tidings | 9.00 | 5.00 | 15.01 | 0 | 0 |");
        assertThat(md.indexOf("| 1 000 × 10/s | Tidings | 9.00 |")).isLessThan(md.indexOf("| 1 000 × 10/s | nchan | 8.00 |"));
        assertThat(md.indexOf("| 1 000 × 10/s | nchan | 9.50 |")).isLessThan(md.indexOf("| 1 000 × 10/s | Tidings | 7.50 |"));
        // medians: Tidings 8.50 s and 14.5 ms, nchan 8.80 s and 15.5 ms
        assertThat(md).contains("| CPU per delivered event ≤ nchan's, 1 000 × 10/s | 8.50 s per million "
                + "| 8.80 s per million | – | **met** |");
        assertThat(md).contains("| p99 latency ≤ nchan's, 1 000 × 10/s | 14.5 ms | 15.5 ms | – | **met** |");
    }
}
