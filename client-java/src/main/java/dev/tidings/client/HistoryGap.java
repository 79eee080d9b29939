package dev.tidings.client;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

/** The data of a {@code reset} gap signal: {@code event.data(HistoryGap.class)}. */
public final class HistoryGap {

    private final String reason;
    private final String lastEventId;

    @JsonCreator
    public HistoryGap(@JsonProperty("reason") String reason, @JsonProperty("lastEventId") String lastEventId) {
        this.reason = reason;
        this.lastEventId = lastEventId;
    }

    /** {@code history-gap}: the id is unknown to the server or older than its retained history. */
    public String reason() {
        return reason;
    }

    /** The id the client tried to resume from. */
    public String lastEventId() {
        return lastEventId;
    }
}
