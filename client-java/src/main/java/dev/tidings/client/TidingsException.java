package dev.tidings.client;

/** A failure reported by the Tidings client. */
public class TidingsException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public TidingsException(String message) {
        super(message);
    }

    public TidingsException(String message, Throwable cause) {
        super(message, cause);
    }
}
