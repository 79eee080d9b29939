package dev.tidings.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PublisherTest {

    @Test
    void aRefusedPublishWaitsItsRetryAfterWithinBounds() {
        assertThat(Publisher.retryAfterMillis("2")).isEqualTo(2000);
        assertThat(Publisher.retryAfterMillis(" 1 ")).isEqualTo(1000);
        assertThat(Publisher.retryAfterMillis(null)).as("absent").isEqualTo(1000);
        assertThat(Publisher.retryAfterMillis("Wed, 21 Oct 2015 07:28:00 GMT")).as("a date is not waited for").isEqualTo(1000);
        assertThat(Publisher.retryAfterMillis("3600")).isEqualTo(Publisher.MAX_RETRY_AFTER_MILLIS);
        assertThat(Publisher.retryAfterMillis("0")).as("never a busy loop").isPositive();
    }
}
