package dev.tidings.server.support;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;

/** Publishes through the real HTTP API and returns the new event's id. */
public final class Publisher {

    private Publisher() {
    }

    public static String publish(String topic, String type, String dataJson) {
        return given().contentType(ContentType.JSON)
                .body("{\"type\":\"" + type + "\",\"data\":" + dataJson + "}")
                .when().post("/api/v1/topics/" + topic + "/events")
                .then().statusCode(201)
                .extract().path("id");
    }

    public static String publish(String topic, String dataJson) {
        return publish(topic, "message", dataJson);
    }
}
