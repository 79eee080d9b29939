package dev.tidings.server.hub;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Retained events in id order, bounded by count and age: a ring buffer searched by id. An id is
 * resumable when it is still retained, or when it is the newest id that left the history (the
 * client has seen everything up to what is retained now).
 */
public final class History {

    private final Event[] ring;
    private final long ttlMillis;
    private final Clock clock;
    private int head;
    private int count;
    private EventId evictedUpTo;
    private final Map<String, Event> latestByTopic = new HashMap<>();

    public History(int capacity, Duration ttl, Clock clock) {
        if (capacity < 1) {
            throw new IllegalArgumentException("history size must be at least 1");
        }
        this.ring = new Event[capacity];
        this.ttlMillis = ttl.toMillis();
        this.clock = clock;
    }

    public synchronized void append(Event event) {
        evictExpired();
        if (count == ring.length) {
            evictOldest();
        }
        ring[(head + count) % ring.length] = event;
        count++;
        latestByTopic.put(event.topic(), event);
    }

    /** Events after {@code lastEventId} that {@code filter} matches, or a gap. */
    public synchronized Replay after(String lastEventId, TopicFilter filter) {
        evictExpired();
        int start = resumeIndex(lastEventId);
        if (start < 0) {
            return Replay.ofGap();
        }
        return Replay.of(collect(start, e -> filter.matches(e.topic()), Integer.MAX_VALUE));
    }

    /**
     * Up to {@code limit} events of {@code topic}, oldest first, after {@code afterId} or from the
     * oldest retained.
     *
     * @throws HistoryGapException when {@code afterId} is not resumable
     */
    public synchronized List<Event> read(String topic, Optional<String> afterId, int limit) {
        evictExpired();
        int start = afterId.map(this::resumeIndex).orElse(0);
        if (start < 0) {
            throw new HistoryGapException(afterId.get());
        }
        return collect(start, e -> e.topic().equals(topic), limit);
    }

    /** Each topic with a retained event, and its newest retained event id. */
    public synchronized Map<String, String> latestIds() {
        evictExpired();
        Map<String, String> ids = new HashMap<>();
        latestByTopic.forEach((topic, event) -> ids.put(topic, event.idText()));
        return ids;
    }

    private List<Event> collect(int start, Predicate<Event> wanted, int limit) {
        List<Event> events = new ArrayList<>();
        for (int i = start; i < count && events.size() < limit; i++) {
            Event event = at(i);
            if (wanted.test(event)) {
                events.add(event);
            }
        }
        return events;
    }

    /** Index of the first event after {@code idText}; -1 when that id cannot be resumed from. */
    private int resumeIndex(String idText) {
        Optional<EventId> parsed = EventId.parse(idText);
        if (parsed.isEmpty()) {
            return -1;
        }
        EventId id = parsed.get();
        if (id.equals(evictedUpTo)) {
            return 0;
        }
        int low = 0;
        int high = count - 1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            int order = at(mid).id().compareTo(id);
            if (order == 0) {
                return mid + 1;
            } else if (order < 0) {
                low = mid + 1;
            } else {
                high = mid - 1;
            }
        }
        return -1;
    }

    private Event at(int index) {
        return ring[(head + index) % ring.length];
    }

    private void evictExpired() {
        long oldestKept = clock.millis() - ttlMillis;
        while (count > 0 && ring[head].time().toEpochMilli() < oldestKept) {
            evictOldest();
        }
    }

    private void evictOldest() {
        Event oldest = ring[head];
        ring[head] = null;
        head = (head + 1) % ring.length;
        count--;
        evictedUpTo = oldest.id();
        latestByTopic.remove(oldest.topic(), oldest);
    }
}
