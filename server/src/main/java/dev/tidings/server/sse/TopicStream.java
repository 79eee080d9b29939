package dev.tidings.server.sse;

import java.util.List;
import java.util.concurrent.Executor;

import dev.tidings.server.hub.Event;
import dev.tidings.server.hub.EventId;
import dev.tidings.server.hub.Hub;
import dev.tidings.server.hub.Replay;
import dev.tidings.server.hub.Subscriber;
import dev.tidings.server.hub.TopicFilter;
import io.vertx.core.http.HttpServerResponse;

/**
 * A stream of published events on one or more topics. On resume it subscribes first and reads
 * history second, holding live events back until the replay is known; the replay is then handed
 * out event by event as the writer asks, so a large one is paced by the connection, never taken
 * for a slow reader. Every event it sends has an id after the previous one: a live event that the
 * replay already covered is skipped, so the client sees no gap and no duplicate.
 */
final class TopicStream extends SseStream implements Subscriber {

    private final Hub hub;
    private final TopicFilter filter;
    private final int maxReplay;
    private boolean awaitingReplay;
    /** The history could not be read: nothing held back goes out, or the client would skip what it missed. */
    private boolean replayFailed;
    private List<Event> replay = List.of();
    private int replayed;
    /** Id of the last event sent (or resumed from); later events must be after it. */
    private EventId sentUpTo;

    TopicStream(StreamLoop loop, StreamFamily family, OpenStreams streams, HttpServerResponse response, Hub hub,
            TopicFilter filter, int maxReplay) {
        super(loop, family, streams, response);
        this.hub = hub;
        this.filter = filter;
        this.maxReplay = maxReplay;
    }

    @Override
    public TopicFilter filter() {
        return filter;
    }

    @Override
    public Executor executor() {
        return loop();
    }

    /** Subscribes, then asks history for what the client missed when {@code lastEventId} is given. */
    void start(String lastEventId) {
        hub.subscribe(this);
        onClose(() -> hub.unsubscribe(this));
        if (lastEventId == null) {
            return;
        }
        awaitingReplay = true;
        hub.replay(lastEventId, filter, maxReplay).whenComplete((result, failure) -> {
            if (loop().inLoop()) {
                replayReady(lastEventId, result, failure);
            } else {
                loop().execute(() -> replayReady(lastEventId, result, failure));
            }
        });
    }

    @Override
    public boolean deliver(Event event, boolean moreFollow) {
        return send(loop().frame(event), moreFollow);
    }

    /** Ends the stream: the client resumes with its last id, which the new history does not hold, and gets {@code reset}. */
    @Override
    public void historyReplaced() {
        end();
    }

    @Override
    protected boolean holdingLive() {
        return awaitingReplay;
    }

    @Override
    protected SseFrame nextReplayed() {
        if (replayed == replay.size()) {
            return null;
        }
        Event event = replay.get(replayed++);
        sentUpTo = event.id();
        if (replayed == replay.size()) {
            metrics().replayed(replay.size());
            replay = List.of();
            replayed = 0;
        }
        return SseEncoder.event(event);
    }

    @Override
    protected boolean admits(SseFrame frame) {
        if (replayFailed) {
            return false;
        }
        EventId id = frame.eventId();
        if (id == null) {
            return true;
        }
        if (sentUpTo != null && !id.isAfter(sentUpTo)) {
            return false;
        }
        sentUpTo = id;
        return true;
    }

    private void replayReady(String lastEventId, Replay result, Throwable failure) {
        if (isClosed()) {
            return;
        }
        awaitingReplay = false;
        if (failure != null) {
            // The client reconnects and tries again from its last id; ending beats serving live events after a hole.
            replayFailed = true;
            end();
            resume();
            return;
        }
        if (result.isReset()) {
            sendFirst(SseEncoder.reset(result.resetReason(), lastEventId));
        } else {
            sentUpTo = EventId.parse(lastEventId).orElseThrow();
            replay = result.events();
        }
        resume();
    }
}
