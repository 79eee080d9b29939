package dev.tidings.server.hub;

import java.util.HashMap;
import java.util.Map;

import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

/**
 * Member counts of chat rooms. Each change is published as a {@code presence} event on the
 * room's topic, under one lock so that events carry the counts in the order they happened.
 */
@Singleton
public class Presence {

    public static final String TYPE = "presence";
    private static final Logger LOG = Logger.getLogger(Presence.class);

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
        hub.publish(TopicFamilies.chat(room), TYPE, "{\"room\":\"" + room + "\",\"members\":" + Math.max(0, count) + "}")
                .whenComplete((event, failure) -> {
                    if (failure != null) {
                        LOG.debugf("Presence of room %s not published: %s", room, failure.getMessage());
                    }
                });
    }
}
