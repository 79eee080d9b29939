package dev.tidings.client;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

/** The data of a chat {@code presence} event: how many streams are open on the room. */
public final class Presence {

    /** The event type of presence changes. */
    public static final String TYPE = "presence";

    private final String room;
    private final int members;

    @JsonCreator
    public Presence(@JsonProperty("room") String room, @JsonProperty("members") int members) {
        this.room = room;
        this.members = members;
    }

    public String room() {
        return room;
    }

    public int members() {
        return members;
    }

    @Override
    public String toString() {
        return room + ": " + members + " members";
    }
}
