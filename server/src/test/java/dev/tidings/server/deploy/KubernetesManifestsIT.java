package dev.tidings.server.deploy;

import static dev.tidings.server.deploy.Manifests.at;
import static dev.tidings.server.deploy.Manifests.list;
import static dev.tidings.server.deploy.Manifests.map;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.StringReader;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.io.TempDir;

import dev.tidings.server.support.RedisServer;
import dev.tidings.server.support.ServerProcess;

/**
 * {@code deploy/} as Kubernetes would run it: each overlay rendered with {@code kubectl kustomize},
 * the packaged server started with the environment, JVM options and mounted files its container gets
 * (a mount path {@code /config} is a directory standing for it; the HTTP port is a free one instead of
 * the container's 8080), every probe answered, and the hardening and rollout settings checked.
 */
@ExtendWith(KubernetesManifestsIT.KubectlAvailable.class)
class KubernetesManifestsIT {

    private static final String UNKNOWN_KEY = "Unrecognized configuration key";

    @TempDir
    Path root;

    @Test
    void theEmbeddedOverlayStartsAsItsContainerDoesAndAnswersEveryProbe() throws Exception {
        Manifests manifests = Manifests.render("embedded");
        assertThat(map(manifests.get("Deployment", "tidings").get("spec")).get("replicas")).isEqualTo(1);
        assertThat(manifests.configFiles().get("bus.properties")).contains("tidings.bus=local");

        try (ServerProcess server = startAsContainer(manifests, "embedded", List.of())) {
            assertEveryProbeAnswers(manifests, server);
            assertThat(log("embedded")).as("every ConfigMap key is one the server knows").doesNotContain(UNKNOWN_KEY);
        }
    }

    @Test
    void theRedisOverlayStartsAReplicaAgainstARealRedisWithItsSecretAndRules() throws Exception {
        Optional<String> noRedis = RedisServer.unavailableReason();
        // Reported as skipped, not passed, where no Redis can start; in CI (TIDINGS_REQUIRE_REDIS) it runs.
        Assumptions.assumeTrue(noRedis.isEmpty() || "true".equalsIgnoreCase(System.getenv("TIDINGS_REQUIRE_REDIS")),
                () -> "Redis overlay check skipped: " + noRedis.orElse(""));
        Manifests manifests = Manifests.render("redis");
        Map<String, Object> spec = map(manifests.get("Deployment", "tidings").get("spec"));
        assertThat(spec.get("replicas")).isEqualTo(3);
        assertThat(at(spec, "strategy", "rollingUpdate").get("maxUnavailable")).isEqualTo(0);
        Map<String, Object> redisSet = manifests.get("StatefulSet", "tidings-redis");
        Map<String, Object> redisContainer = map(list(at(redisSet, "spec", "template", "spec").get("containers")).get(0));
        assertThat(list(redisContainer.get("args"))).containsSequence("--appendonly", "yes");
        assertThat(list(map(redisSet.get("spec")).get("volumeClaimTemplates"))).hasSize(1);
        assertThat(manifests.configFiles().get("bus.properties")).contains("quarkus.redis.hosts=redis://tidings-redis:6379");

        try (RedisServer redis = RedisServer.start(false);
                // The Service name tidings-redis resolves only in the cluster: the test's Redis stands in for it.
                ServerProcess server = startAsContainer(manifests, "redis", List.of("-Dquarkus.redis.hosts=" + redis.uri()))) {
            assertEveryProbeAnswers(manifests, server);
            String log = log("redis");
            assertThat(log).doesNotContain(UNKNOWN_KEY).contains("Redis bus: stream tidings:events");
            assertThat(server.postJson("/api/v1/topics/chat/lobby/events", "{\"data\":{}}").statusCode())
                    .as("chat stays open to anonymous publishers").isEqualTo(201);
            HttpResponse<String> notification = server.postJson("/api/v1/topics/notifications/all/events", "{\"data\":{}}");
            assertThat(notification.statusCode()).as("other topics need a token: %s", notification.body()).isEqualTo(401);
            assertThat(redis.command("XLEN", "tidings:events")).as("the event went to the shared stream").isEqualTo(":1");
        }
    }

    @Test
    void aQuarkusKeyTheServerDoesNotKnowIsReported() throws Exception {
        // An unknown tidings.* key stops start-up; an unknown quarkus.* key is only logged, which the
        // checks above turn into a failure: they mean something only if it is logged.
        Manifests manifests = Manifests.render("embedded");
        try (ServerProcess server = startAsContainer(manifests, "unknown-key", List.of(), "quarkus.shutdown.dellay=5s")) {
            assertThat(server.status("/q/health/ready")).isEqualTo(200);
            assertThat(log("unknown-key")).contains(UNKNOWN_KEY).contains("quarkus.shutdown.dellay");
        }
    }

    @Test
    void everyOverlayRunsHardenedWithResourcesProbesAndAGracePeriodLongerThanTheShutdownDelayAndTimeout() throws Exception {
        Properties defaults = new Properties();
        try (var in = Files.newBufferedReader(Path.of("src/main/resources/application.properties"))) {
            defaults.load(in);
        }
        for (String overlay : List.of("embedded", "redis")) {
            Manifests manifests = Manifests.render(overlay);
            Map<String, Object> pod = manifests.podSpec();
            Map<String, Object> container = manifests.container();
            assertThat(map(pod.get("securityContext"))).as(overlay).containsEntry("runAsNonRoot", true)
                    .containsEntry("seccompProfile", Map.of("type", "RuntimeDefault"));
            assertThat(map(container.get("securityContext"))).as(overlay).containsEntry("readOnlyRootFilesystem", true)
                    .containsEntry("allowPrivilegeEscalation", false).containsEntry("capabilities", Map.of("drop", List.of("ALL")));
            Map<String, Object> resources = map(container.get("resources"));
            assertThat(map(resources.get("requests"))).as(overlay).containsKeys("cpu", "memory");
            assertThat(map(resources.get("limits"))).as(overlay).containsKey("memory");

            Map<String, Object> port = map(list(container.get("ports")).get(0));
            assertThat(port).containsEntry("name", "http")
                    .containsEntry("containerPort", Integer.parseInt(defaults.getProperty("quarkus.http.port")));
            for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
                assertThat(at(container, probe, "httpGet").get("port")).as(overlay + " " + probe).isEqualTo("http");
            }
            Map<String, Object> service = manifests.get("Service", "tidings");
            assertThat(map(list(map(service.get("spec")).get("ports")).get(0))).containsEntry("targetPort", "http");
            Map<String, Object> podLabels = at(manifests.get("Deployment", "tidings"), "spec", "template", "metadata", "labels");
            assertThat(podLabels).containsAllEntriesOf(map(map(service.get("spec")).get("selector")));
            assertThat(podLabels).containsAllEntriesOf(
                    map(at(manifests.get("PodDisruptionBudget", "tidings"), "spec", "selector").get("matchLabels")));

            Properties settings = new Properties();
            settings.load(new StringReader(manifests.configFiles().get("application.properties")));
            Duration delay = Duration.parse("PT" + settings.getProperty("quarkus.shutdown.delay").toUpperCase());
            Duration inFlight = Duration.parse("PT" + settings.getProperty("quarkus.shutdown.timeout",
                    defaults.getProperty("quarkus.shutdown.timeout")).toUpperCase());
            assertThat((Integer) pod.get("terminationGracePeriodSeconds")).as(overlay)
                    .isGreaterThan((int) (delay.toSeconds() + inFlight.toSeconds()));
            assertThat(at(manifests.get("Deployment", "tidings"), "spec", "template", "metadata", "annotations"))
                    .containsEntry("prometheus.io/scrape", "true").containsEntry("prometheus.io/path", "/q/metrics");
        }
    }

    /** Every probe of the container, on the server started as the container is: 200. */
    private static void assertEveryProbeAnswers(Manifests manifests, ServerProcess server) {
        List<String> paths = new ArrayList<>();
        for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
            paths.add((String) at(manifests.container(), probe, "httpGet").get("path"));
        }
        assertThat(paths).containsExactly("/q/health/started", "/q/health/live", "/q/health/ready");
        for (String path : paths) {
            assertThat(server.status(path)).as(path).isEqualTo(200);
        }
    }

    /**
     * Starts the packaged server with the container's environment and mounted files, and the JVM
     * options the JVM image passes ({@code server/jvm.options}; the native image passes none);
     * {@code extraSettings} are added to the mounted {@code application.properties}.
     */
    private ServerProcess startAsContainer(Manifests manifests, String name, List<String> jvmArguments,
            String... extraSettings) throws IOException {
        Path container = root.resolve(name);
        List<String> mounts = manifests.mountUnder(container);
        try (Stream<Path> files = Files.walk(container)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String text = Files.readString(file);
                if (file.getFileName().toString().equals("application.properties") && extraSettings.length > 0) {
                    text += "\n" + String.join("\n", extraSettings) + "\n";
                }
                Files.writeString(file, onDisk(text, mounts, container));
            }
        }
        Map<String, String> environment = new LinkedHashMap<>();
        manifests.environment().forEach((key, value) -> environment.put(key, onDisk(value, mounts, container)));
        List<String> arguments = new ArrayList<>(ServerProcess.isNative() ? List.of() : List.of("@jvm.options"));
        arguments.addAll(jvmArguments);
        return ServerProcess.start(new File("target/kubernetes-manifests-it-" + name + ".log"), ServerProcess.freePort(),
                environment, arguments);
    }

    /**
     * Paths inside the container ({@code /config/…}) as the directories standing for them: each
     * mount path where a path starts (the text's start, or after {@code ,}, {@code =} or a space), in one pass.
     */
    private static String onDisk(String text, List<String> mounts, Path container) {
        String alternatives = mounts.stream().map(Pattern::quote).collect(Collectors.joining("|"));
        Matcher paths = Pattern.compile("(?<=^|[,=\\s])(" + alternatives + ")/", Pattern.MULTILINE).matcher(text);
        StringBuilder result = new StringBuilder();
        while (paths.find()) {
            Path dir = container.resolve(paths.group(1).substring(1)).toAbsolutePath();
            paths.appendReplacement(result, Matcher.quoteReplacement(dir + "/"));
        }
        return paths.appendTail(result).toString();
    }

    private static String log(String name) throws IOException {
        return Files.readString(Path.of("target/kubernetes-manifests-it-" + name + ".log"));
    }

    /** Skips where kubectl is missing, with the reason printed; in CI ({@code CI=true}) its absence fails. */
    static final class KubectlAvailable implements ExecutionCondition {
        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            Optional<String> unavailable = Manifests.kubectlUnavailable();
            if (unavailable.isEmpty()) {
                return ConditionEvaluationResult.enabled("kubectl renders the overlays");
            }
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new IllegalStateException("The deploy/ tests need kubectl (with kustomize) on PATH: " + unavailable.get());
            }
            System.out.println("[WARNING] deploy/ tests skipped: " + unavailable.get());
            return ConditionEvaluationResult.disabled(unavailable.get());
        }
    }
}
