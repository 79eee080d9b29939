package dev.tidings.server.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Requests written byte for byte on a fresh connection, for what an HTTP client library would
 * refuse to send or quietly fix; the answers are read until the server closes the connection.
 */
public final class RawHttp {

    private static final int READ_TIMEOUT_MS = 10_000;

    /** One parsed answer; header names in lower case. */
    public record Answer(int status, Map<String, String> headers, String body) {

        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        /** Asserts an RFC 9457 problem document with this status. */
        public void assertProblem(String what, int expected) {
            Problems.assertProblem(what, status, header("Content-Type"), body, expected);
        }
    }

    private RawHttp() {
    }

    /**
     * Sends {@code request} and returns every answer the server wrote before closing the connection,
     * in order. Fails when the server neither answers nor closes within ten seconds.
     */
    public static List<Answer> exchange(URI server, byte[] request) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(server.getHost(), server.getPort()), 5000);
            socket.setSoTimeout(READ_TIMEOUT_MS);
            socket.getOutputStream().write(request);
            socket.getOutputStream().flush();
            return parse(readToEnd(socket.getInputStream()));
        } catch (SocketTimeoutException e) {
            throw new AssertionError("The server neither answered nor closed the connection within "
                    + READ_TIMEOUT_MS + " ms", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static List<Answer> exchange(URI server, String request) {
        return exchange(server, request.getBytes(StandardCharsets.UTF_8));
    }

    /** The single answer to {@code request}, which should ask for {@code Connection: close}. */
    public static Answer one(URI server, String request) {
        List<Answer> answers = exchange(server, request);
        assertThat(answers).as("answers to %s", firstLine(request)).hasSize(1);
        return answers.get(0);
    }

    private static byte[] readToEnd(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            for (int n; (n = in.read(buffer)) >= 0;) {
                out.write(buffer, 0, n);
            }
        } catch (SocketException reset) {
            // a reset after the answer still leaves what was read
        }
        return out.toByteArray();
    }

    private static List<Answer> parse(byte[] bytes) {
        // One char per byte for finding heads and lengths; bodies are decoded as UTF-8.
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        List<Answer> answers = new ArrayList<>();
        int at = 0;
        while (at < text.length()) {
            int headEnd = text.indexOf("\r\n\r\n", at);
            assertThat(headEnd).as("a complete answer head in: %s", text.substring(at)).isPositive();
            String[] lines = text.substring(at, headEnd).split("\r\n");
            int status = Integer.parseInt(lines[0].substring(9, 12));
            Map<String, String> headers = new LinkedHashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
            }
            int bodyStart = headEnd + 4;
            int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
            int bodyEnd = Math.min(text.length(), bodyStart + length);
            answers.add(new Answer(status, headers, new String(bytes, bodyStart, bodyEnd - bodyStart, StandardCharsets.UTF_8)));
            at = bodyEnd;
        }
        return answers;
    }

    private static String firstLine(String request) {
        int end = request.indexOf("\r\n");
        return end < 0 ? request : request.substring(0, end);
    }
}
