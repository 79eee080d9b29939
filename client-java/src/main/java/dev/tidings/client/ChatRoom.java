package dev.tidings.client;

import java.util.concurrent.CompletionStage;

import io.smallrye.mutiny.Multi;

/**
 * A chat room, topic {@code chat/<room>}: send messages, and stream its {@code message} and
 * {@code presence} events. Each open stream counts as one member of the room.
 */
public final class ChatRoom {

    private final TidingsClient client;
    private final String room;

    ChatRoom(TidingsClient client, String room) {
        this.client = client;
        this.room = room;
    }

    public String room() {
        return room;
    }

    /** Posts a message; completes with its event id. */
    public CompletionStage<String> send(String author, String text) {
        return client.postChat(room, new ChatMessage(author, text));
    }

    /**
     * The room's events: {@code message} ({@code data(ChatMessage.class)}), {@code presence}
     * ({@code data(Presence.class)}), and the {@code reset} gap signal.
     */
    public Multi<TidingsEvent> events() {
        return client.chatEvents(room);
    }

    /** The listener variant of {@link #events()}. */
    public Subscription events(TidingsListener listener) {
        return client.chatEvents(listener, room);
    }
}
