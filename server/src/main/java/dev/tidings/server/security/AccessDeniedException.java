package dev.tidings.server.security;

/**
 * A request without the token it needs (401), with a token that is bad or expired (401,
 * {@code invalid_token}), or with a token whose patterns do not cover the topic (403,
 * {@code insufficient_scope}). Carries the RFC 6750 challenge for {@code WWW-Authenticate}.
 */
public class AccessDeniedException extends RuntimeException {

    private final int status;
    private final String challenge;

    private AccessDeniedException(int status, String challenge, String detail) {
        super(detail);
        this.status = status;
        this.challenge = challenge;
    }

    /** No token was sent where one is needed. */
    public static AccessDeniedException tokenNeeded(String detail) {
        return new AccessDeniedException(401, "Bearer realm=\"tidings\"", detail);
    }

    /** A token was sent but cannot be trusted: bad signature, wrong issuer, expired, malformed. */
    public static AccessDeniedException invalidToken(String detail) {
        return new AccessDeniedException(401, "Bearer realm=\"tidings\", error=\"invalid_token\", error_description=\""
                + quoted(detail) + "\"", detail);
    }

    /** A valid token whose patterns do not cover what was asked. */
    public static AccessDeniedException insufficientScope(String detail) {
        return new AccessDeniedException(403, "Bearer realm=\"tidings\", error=\"insufficient_scope\"", detail);
    }

    public int status() {
        return status;
    }

    /** The value of {@code WWW-Authenticate}. */
    public String challenge() {
        return challenge;
    }

    private static String quoted(String text) {
        return text.replace("\\", "").replace("\"", "'");
    }
}
