package dev.tidings.server.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.restassured.RestAssured;

/**
 * Publishes through the real HTTP API of the server under test (where RestAssured points) and
 * returns the new event's id. One kept-alive client: tests that publish thousands of events pay
 * a fraction of a millisecond each.
 */
public final class Publisher {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    private Publisher() {
    }

    public static String publish(String topic, String type, String dataJson) {
        URI uri = URI.create(RestAssured.baseURI + ":" + RestAssured.port + "/api/v1/topics/" + topic + "/events");
        HttpRequest request = HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"" + type + "\",\"data\":" + dataJson + "}"))
                .build();
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as("publish to %s: %s", topic, response.body()).isEqualTo(201);
            return JSON.readTree(response.body()).get("id").asText();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static String publish(String topic, String dataJson) {
        return publish(topic, "message", dataJson);
    }
}
