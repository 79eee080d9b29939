package dev.tidings.server.bus;

/**
 * The names the Redis bus uses, all under one prefix, and the scripts that must run atomically
 * inside Redis.
 * <p>
 * Every stream entry records the id of the entry before it ({@code p}): the history's chain. A
 * resume id is good exactly when the first entry after it names it as its predecessor, whether
 * the id is still in the stream or is the newest that trimming took away. When the stream is lost
 * or replaced (Redis restarted without persistence, a failover to a copy that lagged, a flush), the
 * chain breaks: ids from the earlier history find no entry naming them, and the reader sees an
 * entry whose predecessor is not the id it saw last. So the chain is the history's epoch, checked
 * on every entry rather than once.
 */
final class RedisKeys {

    /** Field names of a stream entry. */
    static final String TOPIC = "t";
    static final String TYPE = "y";
    static final String DATA = "d";
    static final String PREVIOUS = "p";

    /**
     * KEYS: events stream, last-id key, topics hash. ARGV: max length, topic, type, data. Appends
     * one event chained to the one before it; answers the new id.
     */
    static final String PUBLISH = """
            local previous = redis.call('GET', KEYS[2]) or ''
            local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*',
                't', ARGV[2], 'y', ARGV[3], 'd', ARGV[4], 'p', previous)
            redis.call('SET', KEYS[2], id)
            redis.call('HSET', KEYS[3], ARGV[2], id)
            return id
            """;

    /**
     * KEYS: the room's hash (replica → members), replicas sorted set (replica → last check-in).
     * ARGV: this replica, its member count, expiry in ms, presence channel, room. Sets this
     * replica's count and answers the room's total over the replicas seen within the expiry,
     * forgetting the counts of the others; announces a change on the channel.
     */
    static final String MEMBERS = """
            local time = redis.call('TIME')
            local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
            redis.call('ZADD', KEYS[2], now, ARGV[1])
            local before = redis.call('HGET', KEYS[1], ARGV[1]) or '0'
            if tonumber(ARGV[2]) > 0 then
                redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
            else
                redis.call('HDEL', KEYS[1], ARGV[1])
            end
            local total = 0
            local counts = redis.call('HGETALL', KEYS[1])
            for i = 1, #counts, 2 do
                local seen = redis.call('ZSCORE', KEYS[2], counts[i])
                if seen and tonumber(seen) >= now - tonumber(ARGV[3]) then
                    total = total + tonumber(counts[i + 1])
                else
                    redis.call('HDEL', KEYS[1], counts[i])
                end
            end
            if before ~= ARGV[2] then
                redis.call('PUBLISH', ARGV[4], ARGV[1] .. ' ' .. ARGV[5])
            end
            return total
            """;

    /**
     * KEYS: events stream, topics hash. ARGV: the oldest id to keep. Trims the stream by age, exactly
     * ({@code ~} trims only whole nodes of up to 100 entries: an expired event that shares a node with
     * a newer one would stay replayable), then takes out of the topics listing every topic whose
     * newest event is older than the oldest kept.
     */
    static final String TRIM = """
            redis.call('XTRIM', KEYS[1], 'MINID', ARGV[1])
            local function parse(id)
                local dash = string.find(id, '-', 1, true)
                return tonumber(string.sub(id, 1, dash - 1)), tonumber(string.sub(id, dash + 1))
            end
            local oldestMillis, oldestSequence = math.huge, 0
            local first = redis.call('XRANGE', KEYS[1], '-', '+', 'COUNT', 1)
            if #first > 0 then
                oldestMillis, oldestSequence = parse(first[1][1])
            end
            local topics = redis.call('HGETALL', KEYS[2])
            for i = 1, #topics, 2 do
                local millis, sequence = parse(topics[i + 1])
                if millis < oldestMillis or (millis == oldestMillis and sequence < oldestSequence) then
                    redis.call('HDEL', KEYS[2], topics[i])
                end
            end
            return 0
            """;

    /** KEYS: replicas sorted set. ARGV: this replica, expiry in ms. Checks in and forgets replicas long gone. */
    static final String CHECK_IN = """
            local time = redis.call('TIME')
            local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
            redis.call('ZADD', KEYS[1], now, ARGV[1])
            redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - 10 * tonumber(ARGV[2]))
            return now
            """;

    final String events;
    final String lastId;
    final String topics;
    final String replicas;
    final String presenceChannel;
    private final String roomPrefix;

    RedisKeys(String prefix) {
        this.events = prefix + "events";
        this.lastId = prefix + "events:last-id";
        this.topics = prefix + "topics";
        this.replicas = prefix + "replicas";
        this.presenceChannel = prefix + "presence";
        this.roomPrefix = prefix + "presence:";
    }

    /** The hash of a chat room's member counts, one field per replica. */
    String room(String room) {
        return roomPrefix + room;
    }
}
