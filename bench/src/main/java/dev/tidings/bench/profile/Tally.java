package dev.tidings.bench.profile;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Amounts summed by key, read back as the largest shares of the total. */
public final class Tally {

    /** One key's amount and its share of the tally's total (0 to 1). */
    public record Share(String key, long amount, double fraction) {
    }

    private final Map<String, Long> amounts = new HashMap<>();
    private long total;

    public void add(String key) {
        add(key, 1);
    }

    public void add(String key, long amount) {
        amounts.merge(key, amount, Long::sum);
        total += amount;
    }

    public long total() {
        return total;
    }

    /** The {@code n} largest amounts, largest first (equal amounts by key). */
    public List<Share> top(int n) {
        return amounts.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(n)
                .map(e -> new Share(e.getKey(), e.getValue(), total == 0 ? 0 : (double) e.getValue() / total))
                .toList();
    }

    /** Every key, largest first. */
    public List<Share> all() {
        return top(Integer.MAX_VALUE);
    }
}
