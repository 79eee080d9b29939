package dev.tidings.bench.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The Node.js EventEmitter SSE server of {@code bench/node/server.js}, as tutorials write it. */
public final class NodeServer extends ServerUnderTest {

    private final Path script;

    public NodeServer(Path logDir, Path script) {
        super(logDir);
        this.script = script;
    }

    @Override
    public String name() {
        return "node";
    }

    @Override
    public String describe() {
        return "Node.js " + nodeVersion() + " EventEmitter server";
    }

    public static String nodeVersion() {
        String out = output("node", "--version");
        return out.isEmpty() ? "?" : out;
    }

    @Override
    protected List<String> command(Launch launch) throws IOException {
        if (!Files.isRegularFile(script)) {
            throw new IOException(script + " is missing");
        }
        return List.of("node", script.toString(), Integer.toString(launch.port()), HOST,
                Integer.toString(launch.h2cPort()), launch.compression() ? "gzip" : "identity");
    }
}
