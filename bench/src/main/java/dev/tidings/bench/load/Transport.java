package dev.tidings.bench.load;

/** How subscriptions reach the server. */
public enum Transport {

    /** One HTTP/1.1 connection per stream, body not encoded. */
    HTTP1("HTTP/1.1"),
    /** HTTP/2 over plain TCP with prior knowledge: many streams multiplexed per connection. */
    H2C("h2c"),
    /** One HTTP/1.1 connection per stream, asking for {@code Accept-Encoding: gzip}. */
    GZIP("HTTP/1.1 + gzip");

    private final String label;

    Transport(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** Whether the server is started with response compression on. */
    public boolean compressed() {
        return this == GZIP;
    }
}
