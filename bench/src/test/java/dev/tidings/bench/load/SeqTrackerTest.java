package dev.tidings.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.BitSet;

import org.junit.jupiter.api.Test;

class SeqTrackerTest {

    @Test
    void countsDuplicatesAndReorderingAndMissesAgainstAcknowledged() {
        SeqTracker tracker = new SeqTracker();
        assertThat(tracker.record(0)).isTrue();
        assertThat(tracker.record(2)).isTrue();
        assertThat(tracker.record(1)).isTrue(); // arrived after 2
        assertThat(tracker.record(2)).isFalse(); // again
        assertThat(tracker.record(5)).isTrue(); // never acknowledged: the publish failed after the server took it

        BitSet acknowledged = new BitSet();
        acknowledged.set(0, 5); // 0..4

        assertThat(tracker.received()).isEqualTo(4);
        assertThat(tracker.duplicates()).isEqualTo(1);
        assertThat(tracker.reordered()).isEqualTo(1);
        assertThat(tracker.missing(acknowledged)).isEqualTo(2); // 3 and 4
        assertThat(acknowledged.cardinality()).as("the ledger's set is not modified").isEqualTo(5);
    }

    @Test
    void refusesSequencesOutOfRange() {
        assertThatThrownBy(() -> new SeqTracker().record(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void ledgerHandsOutSequencesAndRemembersAcknowledgements() {
        TopicLedger ledger = new TopicLedger("t");
        long a = ledger.nextSequence();
        long b = ledger.nextSequence();
        long c = ledger.nextSequence();
        ledger.acknowledged(a);
        ledger.acknowledged(c);
        ledger.failed();

        assertThat(b).isEqualTo(a + 1);
        assertThat(ledger.acknowledgedCount()).isEqualTo(2);
        assertThat(ledger.failedCount()).isEqualTo(1);
        BitSet snapshot = ledger.acknowledgedSnapshot();
        ledger.acknowledged(b);
        assertThat(snapshot.cardinality()).isEqualTo(2);
    }
}
