package dev.tidings.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;

/** A closed client refuses new work at once, and says so, rather than hanging. */
class ClosedClientTest {

    private final TidingsClient client = TidingsClient.builder(URI.create("http://127.0.0.1:9")).build();

    @Test
    void aMultiOfAClosedClientFails() {
        client.close();
        assertThatThrownBy(() -> client.subscribe("t").collect().asList().await().atMost(Duration.ofSeconds(5)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

    @Test
    void aListenerOfAClosedClientIsToldAndItsSubscriptionIsDone() {
        client.close();
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        Subscription subscription = client.subscribe(new TidingsListener() {
            @Override
            public void onEvent(TidingsEvent event) {
            }

            @Override
            public void onError(Throwable failure) {
                errors.add(failure);
            }
        }, "t");
        assertThat(subscription.state()).isEqualTo(ConnectionState.CLOSED);
        assertThat(subscription.done().toCompletableFuture()).isCompletedExceptionally();
        assertThat(errors).singleElement().isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aPublishOnAClosedClientFails() {
        client.close();
        assertThatThrownBy(() -> client.publish("t", null, 1).toCompletableFuture().join())
                .isInstanceOf(CompletionException.class).hasCauseInstanceOf(IllegalStateException.class);
    }

    @Test
    void closingTwiceIsHarmless() {
        client.close();
        client.close();
        assertThat(client.isClosed()).isTrue();
    }
}
