package dev.tidings.server.hub;

import java.util.HashMap;
import java.util.Map;

import jakarta.inject.Singleton;

/**
 * Member counts of chat rooms. Each change goes to the room's live members as a {@code presence}
 * signal (current state, never stored in history, so joining and leaving cannot evict anyone's
 * events), under one lock so that signals carry the counts in the order they happened. A new
 * member is subscribed before it joins, so its first signal is the count that includes it.
 */
@Singleton
public class Presence {

    public static final String TYPE = "presence";

    private final Hub hub;
    private final Map<String, Integer> members = new HashMap<>();

    public Presence(Hub hub) {
        this.hub = hub;
    }

    public void join(String room) {
        change(room, 1);
    }

    public void leave(String room) {
        change(room, -1);
    }

    private synchronized void change(String room, int delta) {
        int count = members.merge(room, delta, Integer::sum);
        if (count <= 0) {
            members.remove(room);
        }
        hub.signal(TopicFamilies.chat(room), TYPE, "{\"room\":\"" + room + "\",\"members\":" + Math.max(0, count) + "}");
    }
}
