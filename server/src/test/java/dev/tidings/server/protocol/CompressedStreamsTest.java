package dev.tidings.server.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.tidings.server.support.ProtocolSseClient;
import dev.tidings.server.support.ProtocolSseClient.Protocol;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * The stream contract with response compression on and a client that accepts gzip. The server
 * may send a stream compressed or not; either way every frame must reach the client as soon as it
 * is written, decoded intact (the client decodes gzip itself, as the bytes arrive).
 */
@QuarkusTest
@TestProfile(CompressedStreamsTest.Compression.class)
class CompressedStreamsTest extends StreamContractTests {

    public static class Compression extends StreamSettingsProfile {
        @Override
        protected Map<String, String> protocolOverrides() {
            return Map.of("quarkus.http.enable-compression", "true");
        }
    }

    @Override
    protected Protocol protocol() {
        return Protocol.HTTP_1_1_GZIP;
    }

    @Test
    void aStreamIsEitherGzippedOrSentAsIs() {
        try (ProtocolSseClient client = ProtocolSseClient.open(protocol(),
                streamsRoot().resolve("/api/v1/events?topic=protocols/encoding-" + UUID.randomUUID()))) {
            assertThat(client.status()).isEqualTo(200);
            assertThat(client.contentEncoding()).as("Content-Encoding of a stream, gzip being the only one asked for")
                    .satisfiesAnyOf(
                            encoding -> assertThat(encoding).isNull(),
                            encoding -> assertThat(encoding).isIn("identity", "gzip"));
            assertThat(client.next().retry()).as("the first frame, decoded").isEqualTo(StreamSettingsProfile.RETRY.toMillis());
        }
    }
}
