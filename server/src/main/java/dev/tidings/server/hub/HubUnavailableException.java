package dev.tidings.server.hub;

/** The hub cannot store or forward an event right now (shutting down, bus unreachable). */
public class HubUnavailableException extends RuntimeException {

    public HubUnavailableException(String message) {
        super(message);
    }

    public HubUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
