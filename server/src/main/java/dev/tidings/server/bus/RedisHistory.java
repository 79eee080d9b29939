package dev.tidings.server.bus;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

import dev.tidings.server.hub.Event;
import dev.tidings.server.hub.EventId;
import dev.tidings.server.hub.HistoryGapException;
import dev.tidings.server.hub.HistoryPage;
import dev.tidings.server.hub.Replay;
import dev.tidings.server.hub.TopicFilter;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

/**
 * Reads of the shared history: replay, history pages, the newest events of a topic and the topics
 * listing. The one stream holds every topic, so reads scan it in batches and filter by topic; the
 * stream's length ({@code tidings.history.size}) bounds every scan.
 */
final class RedisHistory {

    private static final int SCAN_BATCH = 200;

    private final RedisCalls calls;
    private final RedisKeys keys;

    RedisHistory(RedisCalls calls, RedisKeys keys) {
        this.calls = calls;
        this.keys = keys;
    }

    Future<Replay> replay(String lastEventId, TopicFilter filter, int maxEvents) {
        if (EventId.parse(lastEventId).isEmpty()) {
            return Future.succeededFuture(Replay.gap());
        }
        List<Event> events = new ArrayList<>();
        boolean[] tooMany = { false };
        return scan(lastEventId, entry -> {
            if (entry.event() == null || !filter.matches(entry.event().topic())) {
                return true;
            }
            if (events.size() == maxEvents) {
                tooMany[0] = true;
                return false;
            }
            events.add(entry.event());
            return true;
        }).map(resumable -> !resumable ? Replay.gap()
                : tooMany[0] ? Replay.tooMany() : Replay.of(Collections.unmodifiableList(events)));
    }

    Future<HistoryPage> read(String topic, Optional<String> afterId, int limit, long maxBytes) {
        if (afterId.isPresent() && EventId.parse(afterId.get()).isEmpty()) {
            return Future.failedFuture(new HistoryGapException(afterId.get()));
        }
        List<Event> events = new ArrayList<>();
        long[] pageBytes = { 0 };
        boolean[] more = { false };
        return scan(afterId.orElse(null), entry -> {
            Event event = entry.event();
            if (event == null || !event.topic().equals(topic)) {
                return true;
            }
            if (events.size() == limit || (!events.isEmpty() && pageBytes[0] + event.size() > maxBytes)) {
                more[0] = true;
                return false;
            }
            events.add(event);
            pageBytes[0] += event.size();
            return true;
        }).compose(resumable -> resumable
                ? Future.succeededFuture(new HistoryPage(Collections.unmodifiableList(events), more[0]))
                : Future.failedFuture(new HistoryGapException(afterId.get())));
    }

    Future<List<Event>> last(String topic, int count) {
        List<Event> newestFirst = new ArrayList<>();
        return scanBack("+", topic, count, newestFirst).map(done -> {
            Collections.reverse(newestFirst);
            return Collections.unmodifiableList(newestFirst);
        });
    }

    /** Topics with a retained event: the topics hash, less those whose newest event left the stream. */
    Future<Map<String, String>> latestIds() {
        return Future.all(calls.send(Request.cmd(Command.HGETALL).arg(keys.topics)), oldestRetained())
                .map(both -> {
                    Response topics = both.resultAt(0);
                    Optional<EventId> oldest = both.resultAt(1);
                    Map<String, String> latest = new HashMap<>();
                    if (oldest.isEmpty()) {
                        return latest;
                    }
                    for (int i = 0; i + 1 < topics.size(); i += 2) {
                        String id = topics.get(i + 1).toString();
                        if (EventId.parse(id).filter(parsed -> !oldest.get().isAfter(parsed)).isPresent()) {
                            latest.put(topics.get(i).toString(), id);
                        }
                    }
                    return latest;
                });
    }

    /** The id of the oldest retained entry; empty when the stream holds none. */
    Future<Optional<EventId>> oldestRetained() {
        return calls.send(Request.cmd(Command.XRANGE).arg(keys.events).arg("-").arg("+").arg("COUNT").arg(1))
                .map(entries -> StreamEntry.all(entries).stream().findFirst().flatMap(entry -> EventId.parse(entry.id())));
    }

    /**
     * Hands {@code visit} the entries after {@code afterId} (from the oldest retained when null), oldest
     * first, until it answers false or the stream ends. Answers whether {@code afterId} was resumable:
     * the entry after it names it as its predecessor, or none follows it and it is the newest id.
     * The newest id is read before the range, in one pipeline: read after it, a publish landing in
     * between would make the client's newest id look unknown.
     */
    private Future<Boolean> scan(String afterId, Predicate<StreamEntry> visit) {
        if (afterId == null) {
            return range("-").compose(entries -> visitFrom(entries, visit));
        }
        return calls.batch(List.of(Request.cmd(Command.GET).arg(keys.lastId), rangeRequest("(" + afterId)))
                .compose(answers -> {
                    Response newest = answers.get(0);
                    List<StreamEntry> entries = StreamEntry.all(answers.get(1));
                    if (entries.isEmpty()) {
                        return Future.succeededFuture(newest != null && afterId.equals(newest.toString()));
                    }
                    if (!entries.get(0).follows(afterId)) {
                        return Future.succeededFuture(false);
                    }
                    return visitFrom(entries, visit);
                });
    }

    private Future<Boolean> visitFrom(List<StreamEntry> entries, Predicate<StreamEntry> visit) {
        for (StreamEntry entry : entries) {
            if (!visit.test(entry)) {
                return Future.succeededFuture(true);
            }
        }
        if (entries.size() < SCAN_BATCH) {
            return Future.succeededFuture(true);
        }
        return range("(" + entries.get(entries.size() - 1).id()).compose(next -> visitFrom(next, visit));
    }

    private Future<List<StreamEntry>> range(String start) {
        return calls.send(rangeRequest(start)).map(StreamEntry::all);
    }

    private Request rangeRequest(String start) {
        return Request.cmd(Command.XRANGE).arg(keys.events).arg(start).arg("+").arg("COUNT").arg(SCAN_BATCH);
    }

    private Future<Boolean> scanBack(String end, String topic, int count, List<Event> newestFirst) {
        Request request = Request.cmd(Command.XREVRANGE).arg(keys.events).arg(end).arg("-").arg("COUNT").arg(SCAN_BATCH);
        return calls.send(request).map(StreamEntry::all).compose(entries -> {
            for (StreamEntry entry : entries) {
                if (entry.event() != null && entry.event().topic().equals(topic)) {
                    newestFirst.add(entry.event());
                    if (newestFirst.size() == count) {
                        return Future.succeededFuture(true);
                    }
                }
            }
            if (entries.size() < SCAN_BATCH) {
                return Future.succeededFuture(true);
            }
            return scanBack("(" + entries.get(entries.size() - 1).id(), topic, count, newestFirst);
        });
    }
}
