package dev.tidings.server.sse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.junit.jupiter.api.Test;

class SseEncoderTest {

    @Test
    void framesAnEventAsIdEventAndOneDataLine() {
        assertThat(SseEncoder.event("7-0", "message", "{\"a\":1}").toString())
                .isEqualTo("id: 7-0\nevent: message\ndata: {\"a\":1}\n\n");
        assertThat(SseEncoder.event(null, "reset", "{}").toString()).isEqualTo("event: reset\ndata: {}\n\n");
        assertThat(SseEncoder.retry(Duration.ofSeconds(3)).toString()).isEqualTo("retry: 3000\n\n");
    }

    @ParameterizedTest
    @ValueSource(strings = { "a\nb", "a\rb", "a\r\n\r\ndata: x" })
    void noFieldCanCarryALineBreak(String forged) {
        assertThatThrownBy(() -> SseEncoder.event(forged, "message", "{}")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SseEncoder.event("1-0", forged, "{}")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SseEncoder.event("1-0", "message", forged)).isInstanceOf(IllegalArgumentException.class);
    }
}
