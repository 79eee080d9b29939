package dev.tidings.bench.load;

/**
 * The publisher's event data: {@code {"s":<sequence>,"t":<send nanoTime>,"p":"<padding>"}}. The
 * sequence is per topic; the time is {@link System#nanoTime()} of the bench JVM, so latency is
 * measured on one clock. Receivers find both numbers in the event data whether the server sends it
 * as is (nchan, Node) or wrapped in an envelope (Tidings: {@code "data":{…}}).
 */
public final class Payload {

    /** Absent or unparsable. */
    public static final long NONE = Long.MIN_VALUE;

    /** Makes a chat-sized message (about 100 bytes of data); it never contains {@code "s":} or {@code "t":}. */
    static final String PADDING = "lorem ipsum dolor sit amet, consectetur adipiscing elit sed do eiusmod";

    private static final byte[] SEQ_KEY = {'"', 's', '"', ':'};
    private static final byte[] TIME_KEY = {'"', 't', '"', ':'};

    private Payload() {
    }

    public static String json(long sequence, long sentNanos) {
        return "{\"s\":" + sequence + ",\"t\":" + sentNanos + ",\"p\":\"" + PADDING + "\"}";
    }

    public static long sequence(byte[] data, int length) {
        return number(data, length, SEQ_KEY);
    }

    public static long sentNanos(byte[] data, int length) {
        return number(data, length, TIME_KEY);
    }

    /** The integer after the last occurrence of {@code key}, or {@link #NONE}. */
    static long number(byte[] data, int length, byte[] key) {
        int at = lastIndexOf(data, length, key);
        if (at < 0) {
            return NONE;
        }
        int i = at + key.length;
        boolean negative = false;
        if (i < length && data[i] == '-') {
            negative = true;
            i++;
        }
        int start = i;
        long value = 0;
        while (i < length && data[i] >= '0' && data[i] <= '9' && i - start < 19) {
            value = value * 10 + (data[i] - '0');
            i++;
        }
        if (i == start) {
            return NONE;
        }
        return negative ? -value : value;
    }

    private static int lastIndexOf(byte[] data, int length, byte[] key) {
        outer:
        for (int i = length - key.length; i >= 0; i--) {
            for (int k = 0; k < key.length; k++) {
                if (data[i + k] != key[k]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
