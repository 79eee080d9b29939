package dev.tidings.server.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.yaml.snakeyaml.Yaml;

/**
 * What {@code kubectl kustomize} renders from an overlay of {@code deploy/}, read as plain YAML
 * maps, and the Tidings container of it laid out on disk as the kubelet would: each volume's files
 * under a directory standing for its mount path.
 */
final class Manifests {

    static final Path DEPLOY = Path.of("..", "deploy");

    private final List<Map<String, Object>> resources;

    private Manifests(List<Map<String, Object>> resources) {
        this.resources = resources;
    }

    /** Why kubectl cannot render here, or empty when it can. */
    static Optional<String> kubectlUnavailable() {
        try {
            Process version = new ProcessBuilder("kubectl", "version", "--client").redirectErrorStream(true).start();
            version.getInputStream().readAllBytes();
            return version.waitFor(30, TimeUnit.SECONDS) && version.exitValue() == 0 ? Optional.empty()
                    : Optional.of("kubectl version --client failed");
        } catch (IOException e) {
            return Optional.of("kubectl is not on PATH (" + e.getMessage() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("interrupted");
        }
    }

    /** Renders {@code deploy/overlays/<overlay>}; fails with kubectl's message when it cannot. */
    static Manifests render(String overlay) throws IOException, InterruptedException {
        Process kustomize = new ProcessBuilder("kubectl", "kustomize", DEPLOY.resolve("overlays").resolve(overlay).toString())
                .redirectErrorStream(true).start();
        String output = new String(kustomize.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!kustomize.waitFor(60, TimeUnit.SECONDS) || kustomize.exitValue() != 0) {
            throw new AssertionError("kubectl kustomize " + overlay + " failed:\n" + output);
        }
        List<Map<String, Object>> resources = new ArrayList<>();
        for (Object document : new Yaml().loadAll(output)) {
            if (document != null) {
                resources.add(map(document));
            }
        }
        return new Manifests(resources);
    }

    List<Map<String, Object>> all() {
        return resources;
    }

    /** The one resource of {@code kind} named {@code name} (a generated one carries a hash suffix of ten characters). */
    Map<String, Object> get(String kind, String name) {
        List<Map<String, Object>> found = resources.stream()
                .filter(resource -> kind.equals(resource.get("kind")))
                .filter(resource -> {
                    String actual = (String) map(resource.get("metadata")).get("name");
                    return actual.equals(name) || actual.matches(Pattern.quote(name) + "-[a-z0-9]{10}");
                })
                .toList();
        if (found.size() != 1) {
            throw new AssertionError("expected one " + kind + " " + name + ", found " + found.size());
        }
        return found.get(0);
    }

    /** The Tidings Deployment's pod template spec. */
    Map<String, Object> podSpec() {
        return at(get("Deployment", "tidings"), "spec", "template", "spec");
    }

    Map<String, Object> container() {
        return map(list(podSpec().get("containers")).get(0));
    }

    /** The container's environment: {@code name → value}. */
    Map<String, String> environment() {
        Map<String, String> environment = new LinkedHashMap<>();
        for (Object entry : list(container().getOrDefault("env", List.of()))) {
            Map<String, Object> variable = map(entry);
            environment.put((String) variable.get("name"), String.valueOf(variable.get("value")));
        }
        return environment;
    }

    /** The generated ConfigMap's files. */
    Map<String, String> configFiles() {
        Map<String, String> files = new LinkedHashMap<>();
        map(get("ConfigMap", "tidings-config").get("data")).forEach((key, value) -> files.put(key, (String) value));
        return files;
    }

    /**
     * Writes every ConfigMap and Secret volume of the container under {@code root} (a mount path
     * {@code /config} becomes {@code root/config}) and answers the mount paths written.
     */
    List<String> mountUnder(Path root) throws IOException {
        Map<String, Map<String, Object>> volumes = new LinkedHashMap<>();
        for (Object volume : list(podSpec().get("volumes"))) {
            volumes.put((String) map(volume).get("name"), map(volume));
        }
        List<String> mounted = new ArrayList<>();
        for (Object entry : list(container().get("volumeMounts"))) {
            Map<String, Object> mount = map(entry);
            Map<String, Object> volume = volumes.get((String) mount.get("name"));
            Path dir = root.resolve(((String) mount.get("mountPath")).substring(1));
            Files.createDirectories(dir);
            if (volume.containsKey("configMap")) {
                String name = (String) map(volume.get("configMap")).get("name");
                for (Map.Entry<String, Object> file : map(get("ConfigMap", name).get("data")).entrySet()) {
                    Files.writeString(dir.resolve(file.getKey()), (String) file.getValue());
                }
            } else if (volume.containsKey("secret")) {
                String name = (String) map(volume.get("secret")).get("secretName");
                for (Map.Entry<String, Object> file : map(get("Secret", name).get("data")).entrySet()) {
                    Files.write(dir.resolve(file.getKey()), Base64.getMimeDecoder().decode((String) file.getValue()));
                }
            }
            mounted.add((String) mount.get("mountPath"));
        }
        return mounted;
    }

    /** {@code at(resource, "spec", "template")}: the nested map, failing when a step is missing. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> at(Map<String, Object> root, String... path) {
        Map<String, Object> current = root;
        for (String step : path) {
            Object next = current.get(step);
            if (!(next instanceof Map)) {
                throw new AssertionError("no map at " + step + " of " + String.join(".", path) + " in " + root);
            }
            current = (Map<String, Object>) next;
        }
        return current;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object value) {
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object value) {
        return (List<Object>) value;
    }
}
