package dev.tidings.server.hub;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Retained events in id order, bounded by count, age and bytes: a ring buffer searched by id. An
 * id is resumable when it is still retained, or when it is the newest id that left the history
 * (the client has seen everything up to what is retained now). Signals are never stored.
 */
public final class History {

    private final Event[] ring;
    private final long maxBytes;
    private final long ttlMillis;
    private final Clock clock;
    private int head;
    private int count;
    private long bytes;
    private EventId evictedUpTo;
    private final Map<String, Event> latestByTopic = new HashMap<>();

    /**
     * @param capacity most events retained
     * @param maxBytes most envelope bytes retained; an event larger on its own is not retained
     *        (it leaves at once, as the newest evicted)
     */
    public History(int capacity, long maxBytes, Duration ttl, Clock clock) {
        if (capacity < 1) {
            throw new IllegalArgumentException("history size must be at least 1");
        }
        if (maxBytes < 1) {
            throw new IllegalArgumentException("history max-bytes must be at least 1");
        }
        this.ring = new Event[capacity];
        this.maxBytes = maxBytes;
        this.ttlMillis = ttl.toMillis();
        this.clock = clock;
    }

    /** @throws IllegalArgumentException for a signal: current state has no place in history */
    public synchronized void append(Event event) {
        if (event.isSignal()) {
            throw new IllegalArgumentException("A signal (" + event.type() + " on " + event.topic()
                    + ") has no id and is never stored in history");
        }
        evictExpired();
        if (count == ring.length) {
            evictOldest();
        }
        ring[(head + count) % ring.length] = event;
        count++;
        bytes += event.size();
        latestByTopic.put(event.topic(), event);
        while (bytes > maxBytes) {
            evictOldest();
        }
    }

    /**
     * Events after {@code lastEventId} matching {@code filter}; a gap when not resumable;
     * too-many when more than {@code maxEvents} match.
     */
    public synchronized Replay after(String lastEventId, TopicFilter filter, int maxEvents) {
        evictExpired();
        int start = resumeIndex(lastEventId);
        if (start < 0) {
            return Replay.gap();
        }
        List<Event> events = new ArrayList<>();
        for (int i = start; i < count; i++) {
            Event event = at(i);
            if (filter.matches(event.topic())) {
                if (events.size() == maxEvents) {
                    return Replay.tooMany();
                }
                events.add(event);
            }
        }
        return Replay.of(Collections.unmodifiableList(events));
    }

    /**
     * Up to {@code limit} events of {@code topic}, oldest first, after {@code afterId} or from the
     * oldest retained, and at most {@code maxBytes} of envelopes (always at least one event if
     * any); {@link HistoryPage#more()} tells whether further events of that topic remain.
     *
     * @throws HistoryGapException when {@code afterId} is not resumable
     */
    public synchronized HistoryPage read(String topic, Optional<String> afterId, int limit, long maxBytes) {
        evictExpired();
        int start = afterId.map(this::resumeIndex).orElse(0);
        if (start < 0) {
            throw new HistoryGapException(afterId.get());
        }
        List<Event> events = new ArrayList<>();
        long pageBytes = 0;
        for (int i = start; i < count; i++) {
            Event event = at(i);
            if (!event.topic().equals(topic)) {
                continue;
            }
            boolean full = events.size() == limit || (!events.isEmpty() && pageBytes + event.size() > maxBytes);
            if (full) {
                return new HistoryPage(Collections.unmodifiableList(events), true);
            }
            events.add(event);
            pageBytes += event.size();
        }
        return new HistoryPage(Collections.unmodifiableList(events), false);
    }

    /** The newest {@code count} retained events of {@code topic}, oldest first. */
    public synchronized List<Event> last(String topic, int count) {
        evictExpired();
        List<Event> newestFirst = new ArrayList<>();
        for (int i = this.count - 1; i >= 0 && newestFirst.size() < count; i--) {
            Event event = at(i);
            if (event.topic().equals(topic)) {
                newestFirst.add(event);
            }
        }
        Collections.reverse(newestFirst);
        return Collections.unmodifiableList(newestFirst);
    }

    /** Each topic with a retained event, and its newest retained event id. */
    public synchronized Map<String, String> latestIds() {
        evictExpired();
        Map<String, String> ids = new HashMap<>();
        latestByTopic.forEach((topic, event) -> ids.put(topic, event.idText()));
        return ids;
    }

    /** Sum of the envelope sizes of the retained events. */
    public synchronized long retainedBytes() {
        evictExpired();
        return bytes;
    }

    public synchronized int retainedEvents() {
        evictExpired();
        return count;
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
        bytes -= oldest.size();
        evictedUpTo = oldest.id();
        latestByTopic.remove(oldest.topic(), oldest);
    }
}
