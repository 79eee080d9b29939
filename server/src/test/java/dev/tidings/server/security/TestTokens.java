package dev.tidings.server.security;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.time.Duration;
import java.util.List;

import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;
import io.smallrye.jwt.util.KeyUtils;

/** Tokens for tests, signed with the key whose public half the test profile verifies with. */
public final class TestTokens {

    public static final String ISSUER = "https://tidings.test";

    private TestTokens() {
    }

    /** Claims of a valid token for {@code subject}, expiring in ten minutes. */
    public static JwtClaimsBuilder claims(String subject) {
        return Jwt.issuer(ISSUER).subject(subject).expiresIn(Duration.ofMinutes(10));
    }

    public static String sign(JwtClaimsBuilder claims) {
        return claims.sign(key("tokens/privateKey.pem"));
    }

    /** Signed with a key the server does not trust. */
    public static String signWithOtherKey(JwtClaimsBuilder claims) {
        return claims.sign(key("tokens/otherPrivateKey.pem"));
    }

    public static String publisher(String subject, String... patterns) {
        return sign(claims(subject).claim("publish", List.of(patterns)));
    }

    public static String subscriber(String subject, String... patterns) {
        return sign(claims(subject).claim("subscribe", List.of(patterns)));
    }

    /** A token with no patterns: only its personal inbox and public topics. */
    public static String plain(String subject) {
        return sign(claims(subject));
    }

    private static PrivateKey key(String resource) {
        try (InputStream in = TestTokens.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is missing from the test resources");
            }
            return KeyUtils.decodePrivateKey(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
