package dev.tidings.bench.sse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class ResponseHeadTest {

    private static final String CHUNKED = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"
            + "transfer-encoding: Chunked\r\n\r\n";

    @Test
    void readsStatusAndChunkedFramingAndStopsAtTheBody() {
        ResponseHead head = new ResponseHead();
        byte[] bytes = (CHUNKED + "BODY").getBytes(StandardCharsets.ISO_8859_1);

        int consumed = head.feed(bytes, 0, bytes.length);

        assertThat(head.isComplete()).isTrue();
        assertThat(consumed).isEqualTo(CHUNKED.length());
        assertThat(head.status()).isEqualTo(200);
        assertThat(head.isChunked()).isTrue();
        assertThat(head.contentLength()).isEqualTo(-1);
    }

    @Test
    void readsTheVersionAndTheContentEncoding() {
        ResponseHead gzip = new ResponseHead();
        byte[] bytes = "HTTP/1.1 200 OK\r\nContent-Encoding:  GZip \r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
        gzip.feed(bytes, 0, bytes.length);
        assertThat(gzip.version()).isEqualTo("HTTP/1.1");
        assertThat(gzip.contentEncoding()).isEqualTo("gzip");

        ResponseHead identity = new ResponseHead();
        bytes = "HTTP/1.0 200 OK\r\nContent-Encoding: identity\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
        identity.feed(bytes, 0, bytes.length);
        assertThat(identity.version()).isEqualTo("HTTP/1.0");
        assertThat(identity.contentEncoding()).isNull();

        ResponseHead none = new ResponseHead();
        bytes = CHUNKED.getBytes(StandardCharsets.ISO_8859_1);
        none.feed(bytes, 0, bytes.length);
        assertThat(none.contentEncoding()).isNull();
    }

    @Test
    void completesWhenFedOneByteAtATime() {
        ResponseHead head = new ResponseHead();
        byte[] bytes = "HTTP/1.1 429 Too Many Requests\r\nContent-Length: 12\r\nRetry-After: 3\r\n\r\n"
                .getBytes(StandardCharsets.ISO_8859_1);
        for (int i = 0; i < bytes.length; i++) {
            assertThat(head.isComplete()).as("complete before byte %d", i).isFalse();
            assertThat(head.feed(bytes, i, 1)).isEqualTo(1);
        }
        assertThat(head.isComplete()).isTrue();
        assertThat(head.status()).isEqualTo(429);
        assertThat(head.isChunked()).isFalse();
        assertThat(head.contentLength()).isEqualTo(12);
        assertThat(head.feed(bytes, 0, 5)).isZero();
    }

    @Test
    void readsAHeadLongerThanItsFirstBuffer() {
        ResponseHead head = new ResponseHead();
        String text = "HTTP/1.1 200 OK\r\nX-Padding: " + "p".repeat(3000) + "\r\nTransfer-Encoding: chunked\r\n\r\n";
        byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
        assertThat(head.feed(bytes, 0, bytes.length)).isEqualTo(bytes.length);
        assertThat(head.isComplete()).isTrue();
        assertThat(head.isChunked()).isTrue();
    }

    @Test
    void acceptsBareLineFeeds() {
        ResponseHead head = new ResponseHead();
        byte[] bytes = "HTTP/1.0 200 OK\nContent-Type: text/event-stream\n\nx".getBytes(StandardCharsets.ISO_8859_1);
        assertThat(head.feed(bytes, 0, bytes.length)).isEqualTo(bytes.length - 1);
        assertThat(head.status()).isEqualTo(200);
    }

    @Test
    void refusesWhatIsNotAnHttpResponse() {
        byte[] bytes = "SSH-2.0-OpenSSH\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> new ResponseHead().feed(bytes, 0, bytes.length))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("not an HTTP");
    }

    @Test
    void refusesAnEndlessHead() {
        ResponseHead head = new ResponseHead();
        byte[] line = "X-Filler: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n"
                .getBytes(StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> {
            for (int i = 0; i < ResponseHead.MAX_HEAD; i++) {
                head.feed(line, 0, line.length);
            }
        }).isInstanceOf(IllegalStateException.class).hasMessageContaining("over");
    }
}
