package dev.tidings.server.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** An RFC 9457 problem document; {@code type} is left out, meaning {@code about:blank}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
// Written by a plain ObjectMapper, not by a resource method Quarkus would register it for.
@RegisterForReflection
public record Problem(String title, int status, String detail) {

    public static final String MEDIA_TYPE = "application/problem+json";
    private static final ObjectMapper JSON = new ObjectMapper();

    public byte[] toJson() {
        try {
            return JSON.writeValueAsBytes(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A problem document always serialises", e);
        }
    }
}
