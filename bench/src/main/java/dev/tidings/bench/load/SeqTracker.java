package dev.tidings.bench.load;

import java.util.BitSet;

/**
 * The sequence numbers one subscription received on its topic: duplicates are counted as they
 * arrive, losses at the end against what the publisher had acknowledged.
 */
public final class SeqTracker {

    private final BitSet seen = new BitSet();
    private long received;
    private long duplicates;
    private long reordered;
    private long highest = -1;

    /** @return false when {@code sequence} was already received (a duplicate) */
    public synchronized boolean record(long sequence) {
        if (sequence < 0 || sequence > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("sequence out of range: " + sequence);
        }
        int index = (int) sequence;
        if (seen.get(index)) {
            duplicates++;
            return false;
        }
        seen.set(index);
        received++;
        if (sequence < highest) {
            reordered++;
        } else {
            highest = sequence;
        }
        return true;
    }

    public synchronized long received() {
        return received;
    }

    public synchronized long duplicates() {
        return duplicates;
    }

    /** Events that arrived after one with a higher sequence (publishes race each other on the way in). */
    public synchronized long reordered() {
        return reordered;
    }

    /** Acknowledged sequences this subscription has not received. */
    public synchronized long missing(BitSet acknowledged) {
        BitSet missing = (BitSet) acknowledged.clone();
        missing.andNot(seen);
        return missing.cardinality();
    }
}
