package dev.tidings.server.support;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Splits SSE bytes into frames as they arrive, whatever the read boundaries: a line (and a
 * multi-byte character) may be cut anywhere between two reads. A frame is a blank-line-terminated
 * block; comments and {@code retry:} are kept so tests can see them. A field the SSE format does not
 * define is an error, not skipped: a test must notice a garbled stream.
 */
final class SseFrameParser {

    private final Consumer<ProtocolSseClient.Frame> frames;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    private String id;
    private String event;
    private StringBuilder data;
    private List<String> comments = new ArrayList<>();
    private Long retry;
    private boolean any;

    SseFrameParser(Consumer<ProtocolSseClient.Frame> frames) {
        this.frames = frames;
    }

    void feed(byte[] bytes) {
        for (byte b : bytes) {
            if (b == '\n') {
                endOfLine();
            } else {
                line.write(b);
            }
        }
    }

    private void endOfLine() {
        String text = line.toString(StandardCharsets.UTF_8);
        line.reset();
        if (text.endsWith("\r")) {
            text = text.substring(0, text.length() - 1);
        }
        if (text.isEmpty()) {
            endOfFrame();
            return;
        }
        any = true;
        if (text.startsWith(":")) {
            comments.add(text.substring(1).trim());
            return;
        }
        int colon = text.indexOf(':');
        String field = colon < 0 ? text : text.substring(0, colon);
        String value = colon < 0 ? "" : text.substring(colon + 1);
        if (value.startsWith(" ")) {
            value = value.substring(1);
        }
        switch (field) {
            case "id" -> id = value;
            case "event" -> event = value;
            case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
            case "retry" -> retry = Long.parseLong(value);
            default -> throw new IllegalStateException("Not an SSE field: '" + field + "' in line: " + text);
        }
    }

    private void endOfFrame() {
        if (any) {
            frames.accept(new ProtocolSseClient.Frame(id, event, data == null ? null : data.toString(),
                    List.copyOf(comments), retry));
        }
        id = null;
        event = null;
        data = null;
        comments = new ArrayList<>();
        retry = null;
        any = false;
    }
}
