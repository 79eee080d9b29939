package dev.tidings.server.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Checks that an error answer is an RFC 9457 problem document matching its HTTP status. */
public final class Problems {

    public static final String MEDIA_TYPE = "application/problem+json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private Problems() {
    }

    /**
     * Asserts the status, the problem+json content type and a body whose {@code status} equals
     * the HTTP status, with a non-blank {@code title} and {@code detail}.
     *
     * @return the parsed problem, for further checks
     */
    public static JsonNode assertProblem(String what, int actualStatus, String contentType, String body,
            int expectedStatus) {
        assertThat(actualStatus).as("%s: HTTP status (body: %s)", what, body).isEqualTo(expectedStatus);
        assertThat(contentType).as("%s: Content-Type (status %d, body: %s)", what, actualStatus, body).isNotNull().startsWith(MEDIA_TYPE);
        JsonNode problem = parse(what, body);
        assertThat(problem.isObject()).as("%s: problem body is a JSON object: %s", what, body).isTrue();
        assertThat(problem.path("status").isInt()).as("%s: problem 'status' is a number: %s", what, body).isTrue();
        assertThat(problem.path("status").intValue()).as("%s: problem 'status'", what).isEqualTo(expectedStatus);
        assertThat(problem.path("title").asText("")).as("%s: problem 'title'", what).isNotBlank();
        assertThat(problem.path("detail").asText("")).as("%s: problem 'detail'", what).isNotBlank();
        return problem;
    }

    public static JsonNode parse(String what, String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(what + ": body is not JSON: " + body, e);
        }
    }

    public static ObjectMapper json() {
        return JSON;
    }
}
