package dev.tidings.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class PayloadTest {

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void readsBackWhatThePublisherWrote() {
        byte[] data = bytes(Payload.json(41, -9_123_456_789L));
        assertThat(Payload.sequence(data, data.length)).isEqualTo(41);
        assertThat(Payload.sentNanos(data, data.length)).isEqualTo(-9_123_456_789L);
    }

    @Test
    void findsTheNumbersInsideTidingsEnvelope() {
        String envelope = "{\"id\":\"1795259502051-3\",\"topic\":\"fan\",\"type\":\"message\",\"time\":\"2026-11-21T11:11:42.051Z\","
                + "\"data\":" + Payload.json(7, 123_456_789_012L) + "}";
        byte[] data = bytes(envelope);
        assertThat(Payload.sequence(data, data.length)).isEqualTo(7);
        assertThat(Payload.sentNanos(data, data.length)).isEqualTo(123_456_789_012L);
    }

    @Test
    void readsOnlyTheGivenLength() {
        byte[] data = bytes("{\"s\":12,\"t\":5}GARBAGE\"s\":99");
        assertThat(Payload.sequence(data, 15)).isEqualTo(12);
    }

    @Test
    void saysWhenANumberIsMissing() {
        byte[] data = bytes("{\"s\":\"text\",\"x\":1}");
        assertThat(Payload.sequence(data, data.length)).isEqualTo(Payload.NONE);
        assertThat(Payload.sentNanos(data, data.length)).isEqualTo(Payload.NONE);
    }

    @Test
    void paddingCannotBeMistakenForAField() {
        assertThat(Payload.PADDING).doesNotContain("\"").doesNotContain(":");
    }
}
