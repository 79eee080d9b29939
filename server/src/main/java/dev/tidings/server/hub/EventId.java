package dev.tidings.server.hub;

import java.util.Optional;

/**
 * An event id, {@code <millis>-<sequence>}: the shape of a Redis stream id, so ids read the same
 * whichever bus assigned them. Ids order by millis, then sequence.
 */
public record EventId(long millis, long sequence) implements Comparable<EventId> {

    public static Optional<EventId> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        int dash = text.indexOf('-');
        if (dash <= 0 || dash == text.length() - 1 || text.length() > 41) {
            return Optional.empty();
        }
        try {
            long millis = Long.parseLong(text, 0, dash, 10);
            long sequence = Long.parseLong(text, dash + 1, text.length(), 10);
            return millis < 0 || sequence < 0 ? Optional.empty() : Optional.of(new EventId(millis, sequence));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** The smallest id greater than every id issued up to {@code previous}, at time {@code nowMillis}. */
    public static EventId next(EventId previous, long nowMillis) {
        if (previous == null || nowMillis > previous.millis) {
            return new EventId(nowMillis, 0);
        }
        return new EventId(previous.millis, previous.sequence + 1);
    }

    public boolean isAfter(EventId other) {
        return compareTo(other) > 0;
    }

    @Override
    public int compareTo(EventId other) {
        int byMillis = Long.compare(millis, other.millis);
        return byMillis != 0 ? byMillis : Long.compare(sequence, other.sequence);
    }

    @Override
    public String toString() {
        return millis + "-" + sequence;
    }
}
