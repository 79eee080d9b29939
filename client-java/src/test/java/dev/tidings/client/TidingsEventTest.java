package dev.tidings.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import org.junit.jupiter.api.Test;

class TidingsEventTest {

    @Test
    void anEnvelopeGivesTheEventItsFields() {
        TidingsEvent event = TidingsEvent.fromFrame("message", "{\"id\":\"17-2\",\"topic\":\"chat/lobby\","
                + "\"type\":\"message\",\"time\":\"2026-11-21T11:11:42.051Z\",\"data\":{\"author\":\"ann\",\"text\":\"hi\"}}",
                "17-2");
        assertThat(event.id()).isEqualTo("17-2");
        assertThat(event.topic()).isEqualTo("chat/lobby");
        assertThat(event.type()).isEqualTo("message");
        assertThat(event.time()).isEqualTo(Instant.parse("2026-11-21T11:11:42.051Z"));
        assertThat(event.data()).isEqualTo("{\"author\":\"ann\",\"text\":\"hi\"}");
        assertThat(event.data(ChatMessage.class).text()).isEqualTo("hi");
        assertThat(event.isGap()).isFalse();
    }

    @Test
    void anyJsonValueIsKeptAsData() {
        String frame = "{\"id\":\"1-0\",\"topic\":\"t\",\"type\":\"message\",\"time\":\"2026-01-01T00:00:00Z\",\"data\":";
        assertThat(TidingsEvent.fromFrame("message", frame + "\"text\"}", "1-0").data()).isEqualTo("\"text\"");
        assertThat(TidingsEvent.fromFrame("message", frame + "null}", "1-0").data()).isEqualTo("null");
        assertThat(TidingsEvent.fromFrame("message", frame + "[1,2.5,true]}", "1-0").data()).isEqualTo("[1,2.5,true]");
        assertThat(TidingsEvent.fromFrame("message", frame + "\"é\\n\"}", "1-0").data(String.class)).isEqualTo("é\n");
    }

    @Test
    void aTickHasNoTopicAndItsWholeFrameAsData() {
        TidingsEvent tick = TidingsEvent.fromFrame("tick", "{\"seq\":4,\"time\":\"2026-01-01T00:00:04Z\"}", "4");
        assertThat(tick.id()).isEqualTo("4");
        assertThat(tick.topic()).isNull();
        assertThat(tick.time()).isEqualTo(Instant.parse("2026-01-01T00:00:04Z"));
        assertThat(tick.data(Tick.class).seq()).isEqualTo(4);
        assertThat(tick.isGap()).isFalse();
    }

    @Test
    void aResetIsAGapWithoutAnId() {
        TidingsEvent reset = TidingsEvent.fromFrame("reset", "{\"reason\":\"history-gap\",\"lastEventId\":\"5-0\"}",
                "5-0");
        assertThat(reset.isGap()).isTrue();
        assertThat(reset.id()).isNull();
        assertThat(reset.data(HistoryGap.class).reason()).isEqualTo("history-gap");
    }

    @Test
    void dataThatIsNotJsonIsKeptAsText() {
        TidingsEvent event = TidingsEvent.fromFrame("message", "plain text", "");
        assertThat(event.data()).isEqualTo("plain text");
        assertThat(event.id()).isNull();
        assertThat(event.topic()).isNull();
    }

    @Test
    void anEnvelopeWithoutIdIsASignalWithNoIdWhateverTheFrameCarriedBefore() {
        TidingsEvent presence = TidingsEvent.fromFrame("presence",
                "{\"topic\":\"chat/lobby\",\"type\":\"presence\",\"time\":\"2026-01-01T00:00:00Z\",\"data\":{\"members\":3}}",
                "17-2");
        assertThat(presence.id()).isNull();
        assertThat(presence.topic()).isEqualTo("chat/lobby");
        assertThat(presence.data()).isEqualTo("{\"members\":3}");
    }
}
