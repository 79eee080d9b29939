package dev.tidings.server.api;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Set;

import jakarta.inject.Singleton;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.tidings.server.config.TidingsConfig;

/** Reads and checks publish request bodies, field by field, with messages a client can act on. */
@Singleton
public class JsonBodies {

    private final ObjectMapper mapper;
    private final ObjectReader reader;
    private final long maxBytes;

    static ProblemException emptyBody() {
        return ProblemException.badRequest("The request body is empty; send a JSON object");
    }

    public JsonBodies(ObjectMapper mapper, TidingsConfig config) {
        this.mapper = mapper;
        // Exact numbers, one document per body, no repeated keys: what the publisher sent is what subscribers get.
        // (Whole numbers are exact as they are: int, long, or BigInteger past a long.)
        this.reader = mapper.reader()
                .with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS, DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .with(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        this.maxBytes = config.publish().maxBytes().asLongValue();
    }

    /**
     * @throws ProblemException 413 when a body length is over the limit: checked on the declared
     *         length before the body is read, and on the length read for chunked bodies
     */
    public void checkLength(long bytes) {
        if (bytes > maxBytes) {
            throw ProblemException.tooLarge(maxBytes);
        }
    }

    /** Parses a JSON object that has only {@code allowed} fields. */
    public ObjectNode object(byte[] body, Set<String> allowed) {
        checkLength(body == null ? 0 : body.length);
        if (body == null || body.length == 0) {
            throw emptyBody();
        }
        requireUtf8(body);
        JsonNode node;
        try {
            node = reader.readTree(body);
        } catch (IOException e) {
            throw ProblemException.badRequest("The request body is not valid JSON: " + firstLine(e));
        } catch (NumberFormatException e) {
            throw ProblemException.badRequest("The request body has a number too large to hold exactly");
        }
        if (!(node instanceof ObjectNode object)) {
            throw ProblemException.badRequest("The request body must be a JSON object");
        }
        for (Iterator<String> names = object.fieldNames(); names.hasNext();) {
            String name = names.next();
            if (!allowed.contains(name)) {
                throw ProblemException.badRequest("Unknown field '" + name + "'; expected " + allowed);
            }
        }
        return object;
    }

    /** A string field of {@code min} to {@code max} characters; absent gives null when {@code min} is 0. */
    public static String text(ObjectNode body, String field, int min, int max) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            if (min > 0) {
                throw ProblemException.badRequest("Field '" + field + "' is required");
            }
            return null;
        }
        if (!value.isTextual()) {
            throw ProblemException.badRequest("Field '" + field + "' must be a string");
        }
        String text = value.textValue();
        int length = text.codePointCount(0, text.length());
        if (length < min || length > max) {
            throw ProblemException.badRequest("Field '" + field + "' must be " + min + " to " + max + " characters");
        }
        return text;
    }

    /**
     * Compact one-line JSON, as it goes on the wire.
     *
     * @throws ProblemException 400 when a string escapes half a surrogate pair, which no UTF-8 can carry
     */
    public String compact(JsonNode value) {
        String json;
        try {
            json = mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A parsed JSON tree always serialises", e);
        }
        if (hasLoneSurrogate(json)) {
            throw ProblemException.badRequest("The request body escapes a lone surrogate (\\uD800-\\uDFFF)");
        }
        return json;
    }

    /** Strict UTF-8: overlong forms, encoded surrogates (CESU-8) and truncated sequences are refused, not rewritten. */
    private static void requireUtf8(byte[] body) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body));
        } catch (CharacterCodingException e) {
            throw ProblemException.badRequest("The request body is not valid UTF-8");
        }
    }

    private static boolean hasLoneSurrogate(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return true;
            }
        }
        return false;
    }

    private static String firstLine(IOException e) {
        String message = e instanceof JsonProcessingException json ? json.getOriginalMessage() : e.getMessage();
        return message == null ? "unreadable" : message.lines().findFirst().orElse("unreadable");
    }
}
