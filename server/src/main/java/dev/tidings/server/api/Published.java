package dev.tidings.server.api;

import dev.tidings.server.hub.Event;

/** The answer to a publish: where and when the event was stored. */
public record Published(String id, String topic, String time) {

    static Published of(Event event) {
        return new Published(event.idText(), event.topic(), event.time().toString());
    }
}
