package dev.tidings.bench.profile;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TallyTest {

    @Test
    void givesTheLargestSharesOfTheTotalFirst() {
        Tally tally = new Tally();
        tally.add("b", 30);
        tally.add("a");
        tally.add("c", 10);
        tally.add("b", 20);
        tally.add("d", 10);
        tally.add("a", 28);

        assertThat(tally.total()).isEqualTo(99);
        assertThat(tally.top(3)).containsExactly(
                new Tally.Share("b", 50, 50 / 99.0),
                new Tally.Share("a", 29, 29 / 99.0),
                new Tally.Share("c", 10, 10 / 99.0)); // c before d: equal amounts go by key
        assertThat(tally.all()).hasSize(4).last().isEqualTo(new Tally.Share("d", 10, 10 / 99.0));
    }

    @Test
    void anEmptyTallyHasNoShares() {
        Tally tally = new Tally();
        assertThat(tally.total()).isZero();
        assertThat(tally.top(5)).isEmpty();
    }
}
