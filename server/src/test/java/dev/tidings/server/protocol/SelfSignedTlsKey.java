package dev.tidings.server.protocol;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import dev.tidings.server.support.ServerProcess;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Makes a fresh self-signed key for {@code localhost} with the JDK's keytool and gives it to the
 * server through the default TLS configuration, which serves HTTPS (and HTTP/2 through ALPN) on a
 * free port next to the plain one.
 */
public class SelfSignedTlsKey implements QuarkusTestResourceLifecycleManager {

    private static final long KEYTOOL_TIMEOUT_SECONDS = 60;

    private Path directory;

    @Override
    public Map<String, String> start() {
        String password = UUID.randomUUID().toString();
        try {
            Files.createDirectories(Path.of("target"));
            directory = Files.createTempDirectory(Path.of("target"), "tls-");
            Path keyStore = directory.resolve("server.p12");
            keytool(List.of("-genkeypair", "-alias", "tidings", "-keyalg", "EC", "-groupname", "secp256r1",
                    "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "2",
                    "-storetype", "PKCS12", "-keystore", keyStore.toString(), "-storepass", password,
                    "-keypass", password));
            return Map.of(
                    "quarkus.tls.key-store.p12.path", keyStore.toAbsolutePath().toString(),
                    "quarkus.tls.key-store.p12.password", password,
                    // A port chosen here, not 0: the native-executable ITs cannot learn a random TLS port.
                    "quarkus.http.test-ssl-port", String.valueOf(ServerProcess.freePort()));
        } catch (IOException e) {
            throw new IllegalStateException("Could not make a key store", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void keytool(List<String> arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(arguments);
        Process keytool = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (!keytool.waitFor(KEYTOOL_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            keytool.destroyForcibly();
            throw new IllegalStateException("keytool did not finish within " + KEYTOOL_TIMEOUT_SECONDS + " s");
        }
        if (keytool.exitValue() != 0) {
            throw new IllegalStateException("keytool failed: "
                    + new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    @Override
    public void stop() {
        if (directory == null) {
            return;
        }
        try (var files = Files.list(directory)) {
            for (Path file : files.toList()) {
                Files.delete(file);
            }
            Files.delete(directory);
        } catch (IOException e) {
            throw new IllegalStateException("Could not delete " + directory, e);
        }
    }
}
