package dev.tidings.server.api;

import java.util.List;

import dev.tidings.server.hub.Event;

/** A JSON array of event envelopes, copied as stored: nothing is parsed or serialised again. */
final class EnvelopeArray {

    private EnvelopeArray() {
    }

    /** Bytes of the array around and between {@code events} envelopes: brackets and commas. */
    static long framing(int events) {
        return events + 1L;
    }

    static byte[] of(List<Event> events) {
        long length = framing(Math.max(1, events.size()));
        for (Event event : events) {
            length += event.size();
        }
        byte[] json = new byte[Math.toIntExact(length)];
        int at = 0;
        json[at++] = '[';
        for (Event event : events) {
            if (at > 1) {
                json[at++] = ',';
            }
            byte[] envelope = event.envelope();
            System.arraycopy(envelope, 0, json, at, envelope.length);
            at += envelope.length;
        }
        json[at] = ']';
        return json;
    }

    /** The newest of {@code events} (oldest first) whose array fits in {@code maxBytes}: at least one, if any. */
    static List<Event> newestWithin(List<Event> events, long maxBytes) {
        int first = events.size();
        long length = 1; // '['
        while (first > 0) {
            // The envelope and the ',' or ']' after it.
            long withOneMore = length + events.get(first - 1).size() + 1;
            if (first < events.size() && withOneMore > maxBytes) {
                break;
            }
            length = withOneMore;
            first--;
        }
        return events.subList(first, events.size());
    }
}
