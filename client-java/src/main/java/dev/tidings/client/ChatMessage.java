package dev.tidings.client;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

/** The data of a chat {@code message} event: {@code event.data(ChatMessage.class)}. */
public final class ChatMessage {

    private final String author;
    private final String text;

    @JsonCreator
    public ChatMessage(@JsonProperty("author") String author, @JsonProperty("text") String text) {
        this.author = author;
        this.text = text;
    }

    @JsonProperty("author")
    public String author() {
        return author;
    }

    @JsonProperty("text")
    public String text() {
        return text;
    }

    @Override
    public String toString() {
        return author + ": " + text;
    }
}
