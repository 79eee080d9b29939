package dev.tidings.server.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.Test;

import dev.tidings.server.support.ProtocolSseClient.Frame;

/**
 * The protocol client's decoding, on bytes made here: a stream test that fails must fail for what
 * the server sent, never for how the client cut or decompressed it.
 */
class SseDecodingTest {

    private static final List<String> FRAMES = List.of(
            "retry: 2500\n\n",
            ": hb\n\n",
            "id: 1-0\nevent: message\ndata: {\"text\":\"événement ✓\"}\n\n",
            "id: 1-1\r\ndata: first\r\ndata: second\r\n\r\n");
    private static final List<Frame> EXPECTED = List.of(
            new Frame(null, null, null, List.of(), 2500L),
            new Frame(null, null, null, List.of("hb"), null),
            new Frame("1-0", "message", "{\"text\":\"événement ✓\"}", List.of(), null),
            new Frame("1-1", null, "first\nsecond", List.of(), null));

    @Test
    void framesAreParsedWhateverTheReadBoundaries() {
        byte[] wire = String.join("", FRAMES).getBytes(StandardCharsets.UTF_8);
        for (int piece = 1; piece <= 7; piece++) {
            List<Frame> parsed = new ArrayList<>();
            SseFrameParser parser = new SseFrameParser(parsed::add);
            for (int at = 0; at < wire.length; at += piece) {
                parser.feed(Arrays.copyOfRange(wire, at, Math.min(wire.length, at + piece)));
            }
            assertThat(parsed).as("read %d bytes at a time", piece).containsExactlyElementsOf(EXPECTED);
        }
    }

    @Test
    void eachGzipFrameFlushedByTheSenderIsDecodedAsSoonAsItsBytesArrive() throws IOException {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        List<Integer> flushedAt = new ArrayList<>();
        try (GZIPOutputStream gzip = new GZIPOutputStream(wire, true)) {
            for (String frame : FRAMES) {
                gzip.write(frame.getBytes(StandardCharsets.UTF_8));
                gzip.flush();
                flushedAt.add(wire.size());
            }
        }
        byte[] bytes = wire.toByteArray();

        List<Frame> parsed = new ArrayList<>();
        SseFrameParser parser = new SseFrameParser(parsed::add);
        GzipStreamDecoder gzip = new GzipStreamDecoder();
        for (int at = 0; at < bytes.length; at += 3) {
            int to = Math.min(bytes.length, at + 3);
            parser.feed(gzip.decode(Arrays.copyOfRange(bytes, at, to)));
            int flushed = (int) flushedAt.stream().filter(end -> end <= to).count();
            assertThat(parsed.size()).as("frames decoded from the first %d bytes, %d flushed", to, flushed)
                    .isGreaterThanOrEqualTo(flushed);
            assertThat(parsed).containsExactlyElementsOf(EXPECTED.subList(0, parsed.size()));
        }
        assertThat(parsed).containsExactlyElementsOf(EXPECTED);
    }

    @Test
    void aGzipHeaderWithOptionalFieldsIsSkipped() {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        // Magic, deflate, flags FHCRC|FEXTRA|FNAME|FCOMMENT, mtime, xfl, os
        wire.writeBytes(new byte[] { 0x1f, (byte) 0x8b, 8, 2 | 4 | 8 | 16, 0, 0, 0, 0, 0, 3 });
        wire.writeBytes(new byte[] { 3, 0, 'x', 'y', 'z' });
        wire.writeBytes("stream.txt\0".getBytes(StandardCharsets.US_ASCII));
        wire.writeBytes("a comment\0".getBytes(StandardCharsets.US_ASCII));
        wire.writeBytes(new byte[] { 0x12, 0x34 });
        wire.writeBytes(rawDeflate(String.join("", FRAMES).getBytes(StandardCharsets.UTF_8)));

        List<Frame> parsed = new ArrayList<>();
        SseFrameParser parser = new SseFrameParser(parsed::add);
        GzipStreamDecoder gzip = new GzipStreamDecoder();
        for (byte b : wire.toByteArray()) {
            parser.feed(gzip.decode(new byte[] { b }));
        }
        assertThat(parsed).containsExactlyElementsOf(EXPECTED);
    }

    private static byte[] rawDeflate(byte[] input) {
        Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        deflater.setInput(input);
        deflater.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] chunk = new byte[1024];
        while (!deflater.finished()) {
            out.write(chunk, 0, deflater.deflate(chunk));
        }
        deflater.end();
        return out.toByteArray();
    }
}
