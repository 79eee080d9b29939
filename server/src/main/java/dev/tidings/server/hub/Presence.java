package dev.tidings.server.hub;

import jakarta.inject.Singleton;

/**
 * Member counts of chat rooms, counted by the bus across replicas. Each change reaches the room's
 * live members as a {@code presence} signal (current state, never stored in history, so joining
 * and leaving cannot evict anyone's events). A new member is subscribed before it joins, so its
 * first signal is a count that includes it.
 */
@Singleton
public class Presence {

    public static final String TYPE = "presence";

    private final Bus bus;

    public Presence(Bus bus) {
        this.bus = bus;
    }

    public void join(String room) {
        bus.changeMembers(room, 1);
    }

    public void leave(String room) {
        bus.changeMembers(room, -1);
    }

    /** The data of a room's presence signal. */
    static String data(String room, int members) {
        return "{\"room\":\"" + room + "\",\"members\":" + Math.max(0, members) + "}";
    }
}
