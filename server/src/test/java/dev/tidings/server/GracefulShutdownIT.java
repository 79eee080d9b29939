package dev.tidings.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.tidings.server.support.ServerProcess;
import dev.tidings.server.support.SseTestClient;

/**
 * On SIGTERM the server ends its streams cleanly, each told {@code retry: 1000} last (clients resume
 * on another replica, soon), reports
 * not ready, and refuses new streams and (on the embedded bus, whose history goes with the process)
 * publishes with 503 during the shutdown delay (the
 * packaged default, {@code quarkus.shutdown.delay=5s}): a publisher on a kept-alive connection
 * gets answers, never a reset, until the server is gone.
 */
class GracefulShutdownIT {

    @Test
    void sigtermEndsStreamsCleanlyAndRefusesNewWorkWith503() throws Exception {
        File log = new File("target/graceful-shutdown-it.log");
        try (ServerProcess server = ServerProcess.start(log);
                SseTestClient stream = SseTestClient.open(server.uri("/api/v1/events?topic=notifications/shutdown"))) {
            assertThat(stream.next().retry()).isNotNull();
            assertThat(server.postJson("/api/v1/topics/notifications/shutdown/events", "{\"data\":1}").statusCode()).isEqualTo(201);
            assertThat(stream.nextEvent().data()).contains("\"data\":1");

            server.terminate();

            List<SseTestClient.Frame> last = stream.framesUntilEnd(Duration.ofSeconds(10));
            assertThat(last).extracting(SseTestClient.Frame::retry).as("told to come back soon, elsewhere")
                    .contains(1000L);
            assertThat(stream.awaitCleanEnd(Duration.ofSeconds(1))).as("stream ended with a clean last chunk").isTrue();
            assertThat(server.status("/q/health/ready")).isEqualTo(503);
            HttpResponse<String> publish = server.postJson("/api/v1/topics/notifications/shutdown/events", "{\"data\":2}");
            assertThat(publish.statusCode()).isEqualTo(503);
            assertThat(publish.headers().firstValue("Retry-After")).isPresent();
            assertThat(publish.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            HttpResponse<String> newStream = server.get("/api/v1/events?topic=notifications/shutdown");
            assertThat(newStream.statusCode()).isEqualTo(503);
            assertThat(newStream.body()).contains("\"status\":503");
            // The same kept-alive client keeps publishing through the delay: every answer is a 503.
            for (int i = 0; i < 20; i++) {
                assertThat(server.postJson("/api/v1/topics/notifications/shutdown/events", "{\"data\":3}").statusCode())
                        .as("publish %d during the delay", i).isEqualTo(503);
            }

            assertThat(server.awaitExit(Duration.ofSeconds(30))).as("server exited after the delay").isTrue();
        }
        // The JVM on Linux writes streams with epoll; Quarkus runs a native executable's Vert.x on NIO, and says so.
        assertThat(Files.readString(log.toPath())).contains(ServerProcess.isNative()
                ? "Streams use the NIO transport: a Quarkus native executable always runs Vert.x on NIO"
                : "Streams use the epoll transport");
    }
}
