package dev.tidings.client;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

/** The data of a timer {@code tick} event: {@code event.data(Tick.class)}. */
public final class Tick {

    /** The event type of timer ticks. */
    public static final String TYPE = "tick";

    private final long seq;
    private final Instant time;

    @JsonCreator
    public Tick(@JsonProperty("seq") long seq, @JsonProperty("time") String time) {
        this.seq = seq;
        this.time = time == null ? null : Instant.parse(time);
    }

    /** 1 for the first tick of a timer, then one more per period; a resumed timer goes on from its last. */
    public long seq() {
        return seq;
    }

    public Instant time() {
        return time;
    }

    @Override
    public String toString() {
        return "tick " + seq + " at " + time;
    }
}
