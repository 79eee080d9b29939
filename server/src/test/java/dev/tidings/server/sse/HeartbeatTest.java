package dev.tidings.server.sse;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.tidings.server.support.SseTestClient;
import dev.tidings.server.support.SseTestClient.Frame;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class HeartbeatTest {

    /** A topic nothing is ever published to. */
    @TestHTTPResource("/api/v1/events?topic=heartbeat/idle-only")
    URI idleStream;

    @Test
    void anIdleStreamReceivesHeartbeatCommentsAndNoEvent() {
        try (SseTestClient client = SseTestClient.open(idleStream)) {
            assertThat(client.status()).isEqualTo(200);
            assertThat(client.next().retry()).isEqualTo(3000L);

            List<Frame> frames = new ArrayList<>();
            int heartbeats = 0;
            // Each next() is bounded; a stream without heartbeats fails here.
            while (heartbeats < 2) {
                Frame frame = client.next();
                frames.add(frame);
                if ("hb".equals(frame.comment())) {
                    heartbeats++;
                }
            }
            assertThat(frames).noneMatch(Frame::isEvent);
            assertThat(frames).allSatisfy(frame -> {
                assertThat(frame.comment()).isEqualTo("hb");
                assertThat(frame.id()).isNull();
                assertThat(frame.event()).isNull();
                assertThat(frame.retry()).isNull();
            });
        }
    }
}
