package dev.tidings.server.hub;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.Executor;

import org.junit.jupiter.api.Test;

/** A shard tells each subscriber whether more events follow in the batch it is dispatching. */
class ShardTest {

    /** Runs the shard's tasks only when the test says, as an event loop busy elsewhere would. */
    private final Queue<Runnable> tasks = new ArrayDeque<>();
    private final Executor loop = tasks::add;
    private final List<String> heard = new ArrayList<>();
    private final Shard shard = new Shard(loop, taken -> { });

    @Test
    void aBurstQueuedBeforeTheLoopRunsIsDispatchedWithMoreToFollowUntilItsLastEvent() {
        shard.add(subscriber("news"));
        shard.enqueue(event(1, "news"));
        shard.enqueue(event(2, "news"));
        shard.enqueue(event(3, "news"));

        runTasks();

        assertThat(heard).containsExactly("1-0 more", "2-0 more", "3-0 last");
    }

    @Test
    void anEventAloneInItsBatchIsDispatchedAsTheLast() {
        shard.add(subscriber("news"));
        shard.enqueue(event(1, "news"));
        runTasks();
        shard.enqueue(event(2, "news"));
        runTasks();

        assertThat(heard).containsExactly("1-0 last", "2-0 last");
    }

    private void runTasks() {
        Runnable task;
        while ((task = tasks.poll()) != null) {
            task.run();
        }
    }

    private static Event event(long millis, String topic) {
        return new Event(EventId.parse(millis + "-0").orElseThrow(), topic, "message", Instant.EPOCH, "{}");
    }

    private Subscriber subscriber(String topic) {
        return new Subscriber() {
            @Override
            public TopicFilter filter() {
                return TopicFilter.of(topic);
            }

            @Override
            public Executor executor() {
                return loop;
            }

            @Override
            public boolean deliver(Event event, boolean moreFollow) {
                heard.add(event.id() + (moreFollow ? " more" : " last"));
                return true;
            }

            @Override
            public void historyReplaced() {
            }
        };
    }
}
