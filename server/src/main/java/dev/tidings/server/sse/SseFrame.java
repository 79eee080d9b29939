package dev.tidings.server.sse;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;

/**
 * One encoded SSE frame, in the two forms a stream writes: as an HTTP/1.1 chunk
 * ({@code <size>CRLF<frame>CRLF}) in off-heap memory, written straight to the socket by every
 * HTTP/1.1 subscriber, and as a plain buffer for HTTP/2 responses. Immutable and shared.
 */
public final class SseFrame {

    private final Buffer buffer;
    private final ByteBuf chunk;

    SseFrame(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        this.buffer = Buffer.buffer(bytes);
        byte[] size = (Integer.toHexString(bytes.length) + "\r\n").getBytes(StandardCharsets.US_ASCII);
        ByteBuffer direct = ByteBuffer.allocateDirect(size.length + bytes.length + 2);
        direct.put(size).put(bytes).put((byte) '\r').put((byte) '\n').flip();
        // Memory of a wrapped JDK buffer is freed by the JDK once unreachable; writes release no-ops.
        this.chunk = Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(direct));
    }

    /** The frame bytes alone. */
    public Buffer buffer() {
        return buffer;
    }

    /** A fresh view of the chunk-encoded frame, with its own read position, for one write. */
    ByteBuf chunk() {
        return chunk.duplicate();
    }

    @Override
    public String toString() {
        return buffer.toString();
    }
}
