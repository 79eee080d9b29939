package dev.tidings.bench.load;

import java.util.BitSet;

/** One topic's publishing: the next sequence number and which sequences the server acknowledged. */
public final class TopicLedger {

    private final String topic;
    private final BitSet acknowledged = new BitSet();
    private long next;
    private long failed;

    public TopicLedger(String topic) {
        this.topic = topic;
    }

    public String topic() {
        return topic;
    }

    public synchronized long nextSequence() {
        return next++;
    }

    public synchronized void acknowledged(long sequence) {
        acknowledged.set((int) sequence);
    }

    public synchronized void failed() {
        failed++;
    }

    public synchronized long acknowledgedCount() {
        return acknowledged.cardinality();
    }

    public synchronized long failedCount() {
        return failed;
    }

    public synchronized BitSet acknowledgedSnapshot() {
        return (BitSet) acknowledged.clone();
    }
}
