package dev.tidings.server.sse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.junit.jupiter.api.Test;

import dev.tidings.server.hub.Event;
import dev.tidings.server.hub.EventId;
import io.vertx.core.buffer.Buffer;

class SseEncoderTest {

    @Test
    void framesAnEventAsIdEventAndOneDataLine() {
        SseFrame event = SseEncoder.event("7-0", "message", "{\"a\":1}");
        assertThat(event.getId()).isEqualTo("7-0");
        assertThat(event.getName()).isEqualTo("message");
        assertThat(event.getData()).isEqualTo("{\"a\":1}");
        assertThat(event.isReconnectDelaySet()).isFalse();
        SseFrame retry = SseEncoder.retry(Duration.ofSeconds(3));
        assertThat(retry.getReconnectDelay()).isEqualTo(3000);
        assertThat(retry.getData()).isNull();
    }

    @Test
    void aSignalHasNoIdAndItsEnvelopeNoIdField() {
        SseFrame signal = SseEncoder.event(Event.signal("chat/a", "presence", Instant.EPOCH, "{\"members\":2}"));
        assertThat(signal.getId()).isNull();
        assertThat(signal.getName()).isEqualTo("presence");
        assertThat(signal.getData())
                .isEqualTo("{\"topic\":\"chat/a\",\"type\":\"presence\",\"time\":\"1970-01-01T00:00:00Z\",\"data\":{\"members\":2}}");
    }

    @Test
    void theFrameSharedByAnEventLoopHasTheSameBytesOffHeap() {
        Event event = new Event(EventId.parse("7-0").orElseThrow(), "news", "message", Instant.EPOCH, "{\"a\":1}");
        Buffer own = SseEncoder.event(event).bytes();
        Buffer shared = SseEncoder.sharedEvent(event).bytes();
        assertThat(shared.toString()).isEqualTo(own.toString()).isEqualTo("id: 7-0\nevent: message\ndata: "
                + "{\"id\":\"7-0\",\"topic\":\"news\",\"type\":\"message\",\"time\":\"1970-01-01T00:00:00Z\",\"data\":{\"a\":1}}\n\n");
        // A socket writes direct bytes as they are; heap bytes it copies once per subscriber.
        assertThat(shared.getByteBuf().isDirect()).isTrue();
        assertThat(SseEncoder.heartbeat().bytes().getByteBuf().isDirect()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = { "a\nb", "a\rb", "a\r\n\r\ndata: x" })
    void noFieldCanCarryALineBreak(String forged) {
        assertThatThrownBy(() -> SseEncoder.event(forged, "message", "{}")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SseEncoder.event("1-0", forged, "{}")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SseEncoder.event("1-0", "message", forged)).isInstanceOf(IllegalArgumentException.class);
    }
}
