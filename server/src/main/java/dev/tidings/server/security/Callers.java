package dev.tidings.server.security;

import jakarta.inject.Singleton;

import io.vertx.core.http.HttpServerRequest;

/** Who sent a request, from its token. */
@Singleton
public class Callers {

    /**
     * The caller of {@code request}: anonymous when it carries no token.
     *
     * @throws AccessDeniedException 401 when it carries a token that is bad or expired
     */
    public Caller of(HttpServerRequest request) {
        return Caller.anonymous();
    }
}
