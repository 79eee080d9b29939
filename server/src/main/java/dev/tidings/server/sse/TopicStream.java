package dev.tidings.server.sse;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.io.JsonStringEncoder;

import dev.tidings.server.hub.Event;
import dev.tidings.server.hub.EventId;
import dev.tidings.server.hub.Hub;
import dev.tidings.server.hub.Replay;
import dev.tidings.server.hub.Subscriber;
import dev.tidings.server.hub.TopicFilter;
import io.netty.channel.EventLoop;
import io.vertx.core.http.HttpServerRequest;

/**
 * A stream of published events on one or more topics. On resume it subscribes first and reads
 * history second, holding live events back until the replay is written. Every event it writes
 * has an id after the previous one: a live event the replay already covered (published before
 * the subscription, fanned out after it) is skipped, so the client sees no gap and no duplicate.
 */
final class TopicStream extends SseStream implements Subscriber {

    private final Hub hub;
    private final TopicFilter filter;
    private final int maxHeldBack;
    /** Live events waiting for the replay to be written; null once live. */
    private List<Event> heldBack;
    /** Id of the last event written (or resumed from); later deliveries must be after it. */
    private EventId sentUpTo;

    TopicStream(HttpServerRequest request, EventLoop loop, StreamFamily family, OpenStreams streams, Hub hub,
            TopicFilter filter, int maxHeldBack) {
        super(request, loop, family, streams);
        this.hub = hub;
        this.filter = filter;
        this.maxHeldBack = maxHeldBack;
    }

    @Override
    public TopicFilter filter() {
        return filter;
    }

    /**
     * Subscribes, then sends the headers, then replays what the client missed when
     * {@code lastEventId} is given: a client that has seen the headers is already subscribed.
     */
    void start(String lastEventId) {
        hub.subscribe(this);
        onClose(() -> hub.unsubscribe(this));
        open();
        if (lastEventId == null) {
            return;
        }
        heldBack = new ArrayList<>();
        hub.replay(lastEventId, filter, Integer.MAX_VALUE).whenComplete((replay, failure) -> {
            if (eventLoop().inEventLoop()) {
                finishReplay(lastEventId, replay, failure);
            } else {
                eventLoop().execute(() -> finishReplay(lastEventId, replay, failure));
            }
        });
    }

    @Override
    public boolean deliver(Event event) {
        if (heldBack == null) {
            if (sentUpTo != null && !event.id().isAfter(sentUpTo)) {
                return false;
            }
            sentUpTo = event.id();
            return write(SseEncoder.event(event));
        }
        if (heldBack.size() < maxHeldBack) {
            heldBack.add(event);
        } else {
            end();
        }
        return false;
    }

    private void finishReplay(String lastEventId, Replay replay, Throwable failure) {
        if (isClosed()) {
            return;
        }
        if (failure != null) {
            // The client reconnects and tries again; ending beats serving live events after a hole.
            end();
            return;
        }
        List<Event> live = heldBack;
        heldBack = null;
        if (replay.isReset()) {
            write(resetFrame(replay.resetReason(), lastEventId));
        } else {
            sentUpTo = EventId.parse(lastEventId).orElseThrow();
            for (Event event : replay.events()) {
                write(SseEncoder.event(event));
                sentUpTo = event.id();
            }
            metrics().replayed(replay.events().size());
        }
        metrics().delivered((int) live.stream().filter(this::deliver).count());
    }

    private static SseFrame resetFrame(String reason, String lastEventId) {
        String quotedId = new String(JsonStringEncoder.getInstance().quoteAsString(lastEventId));
        return SseEncoder.event(null, "reset", "{\"reason\":\"" + reason + "\",\"lastEventId\":\"" + quotedId + "\"}");
    }
}
