package dev.tidings.server.hub;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.netty.channel.EventLoop;

/**
 * The subscribers of one event loop, indexed by exact topic. Touched only on that loop: a
 * published event costs one task per loop, not one per subscriber.
 */
final class Shard {

    private final EventLoop loop;
    private final Map<String, List<Subscriber>> byTopic = new HashMap<>();
    private final List<Subscriber> withWildcards = new ArrayList<>();
    private final List<Subscriber> removedWhileDispatching = new ArrayList<>();
    private boolean dispatching;

    Shard(EventLoop loop) {
        this.loop = loop;
    }

    EventLoop loop() {
        return loop;
    }

    void add(Subscriber subscriber) {
        TopicFilter filter = subscriber.filter();
        for (String topic : filter.exactTopics()) {
            byTopic.computeIfAbsent(topic, t -> new ArrayList<>()).add(subscriber);
        }
        if (!filter.wildcards().isEmpty()) {
            withWildcards.add(subscriber);
        }
    }

    void remove(Subscriber subscriber) {
        if (dispatching) {
            // A subscriber may close itself from deliver(); never mutate the lists being iterated.
            removedWhileDispatching.add(subscriber);
            return;
        }
        TopicFilter filter = subscriber.filter();
        for (String topic : filter.exactTopics()) {
            List<Subscriber> subscribers = byTopic.get(topic);
            if (subscribers != null && subscribers.remove(subscriber) && subscribers.isEmpty()) {
                byTopic.remove(topic);
            }
        }
        if (!filter.wildcards().isEmpty()) {
            withWildcards.remove(subscriber);
        }
    }

    /** @return how many subscribers the event was written to */
    int dispatch(Event event) {
        int delivered = 0;
        dispatching = true;
        try {
            List<Subscriber> exact = byTopic.get(event.topic());
            if (exact != null) {
                for (int i = 0, n = exact.size(); i < n; i++) {
                    if (exact.get(i).deliver(event)) {
                        delivered++;
                    }
                }
            }
            for (int i = 0, n = withWildcards.size(); i < n; i++) {
                Subscriber subscriber = withWildcards.get(i);
                // Subscribers that name the topic exactly were served above.
                if (!subscriber.filter().hasExact(event.topic()) && subscriber.filter().matchesWildcard(event.topic())
                        && subscriber.deliver(event)) {
                    delivered++;
                }
            }
        } finally {
            dispatching = false;
        }
        if (!removedWhileDispatching.isEmpty()) {
            List<Subscriber> removed = new ArrayList<>(removedWhileDispatching);
            removedWhileDispatching.clear();
            removed.forEach(this::remove);
        }
        return delivered;
    }
}
