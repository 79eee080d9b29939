package dev.tidings.client;

import java.time.Duration;

/** No byte, not even a heartbeat comment, arrived for the read timeout: the connection is dead. */
public class ReadTimeoutException extends TidingsException {

    private static final long serialVersionUID = 1L;

    public ReadTimeoutException(Duration timeout) {
        super("No data received for " + timeout.toMillis() + " ms; the connection is considered dead");
    }
}
