package dev.tidings.server.sse;

import java.time.Duration;

/**
 * The one place that writes SSE framing. Every field is checked for CR and LF, so no value,
 * whatever its origin, can end a line early and forge a field or an event.
 */
public final class SseEncoder {

    /** Comment sent on an idle stream so proxies and clients see it is alive. */
    public static final SseFrame HEARTBEAT = new SseFrame(": hb\n\n");

    private SseEncoder() {
    }

    /** {@code id:}, {@code event:} and a single {@code data:} line; {@code id} may be null. */
    public static SseFrame event(String id, String type, String data) {
        StringBuilder frame = new StringBuilder(data.length() + 64);
        if (id != null) {
            frame.append("id: ").append(singleLine(id)).append('\n');
        }
        frame.append("event: ").append(singleLine(type)).append('\n');
        frame.append("data: ").append(singleLine(data)).append("\n\n");
        return new SseFrame(frame.toString());
    }

    /** The frame of a hub event: its id (none on a signal), its type and its envelope as data. */
    public static SseFrame event(dev.tidings.server.hub.Event event) {
        return event(event.idText(), event.type(), new String(event.envelope(), java.nio.charset.StandardCharsets.UTF_8));
    }

    public static SseFrame retry(Duration delay) {
        return new SseFrame("retry: " + delay.toMillis() + "\n\n");
    }

    private static String singleLine(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\n' || c == '\r') {
                throw new IllegalArgumentException("SSE field value contains a line break");
            }
        }
        return value;
    }
}
