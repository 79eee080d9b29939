package dev.tidings.bench.support;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs a test class only where nginx (the load balancer) and redis-server can be started; elsewhere
 * it is skipped with the reason printed, unless the environment sets {@code TIDINGS_REQUIRE_NGINX=true}
 * or {@code TIDINGS_REQUIRE_REDIS=true} (CI sets both): then the absence fails it.
 */
public final class Prerequisites implements ExecutionCondition {

    private record Program(String name, String requiredBy, List<Path> places) {
    }

    private static final List<Program> PROGRAMS = List.of(
            new Program("nginx", "TIDINGS_REQUIRE_NGINX", List.of(Path.of("/usr/sbin/nginx"))),
            new Program("redis-server", "TIDINGS_REQUIRE_REDIS", List.of(Path.of("/usr/bin/redis-server"))));

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        List<String> missing = new ArrayList<>();
        for (Program program : PROGRAMS) {
            if (!installed(program)) {
                if ("true".equalsIgnoreCase(System.getenv(program.requiredBy()))) {
                    throw new IllegalStateException(program.name() + " is not installed, but " + program.requiredBy()
                            + "=true: install it (Debian package " + program.name() + ")");
                }
                missing.add(program.name());
            }
        }
        if (missing.isEmpty()) {
            return ConditionEvaluationResult.enabled("nginx and redis-server are installed");
        }
        String reason = "skipped: " + String.join(" and ", missing) + " not installed (Debian packages of the same names)";
        System.out.println("[WARNING] " + context.getDisplayName() + " " + reason);
        return ConditionEvaluationResult.disabled(reason);
    }

    private static boolean installed(Program program) {
        String path = System.getenv().getOrDefault("PATH", "");
        return Stream.concat(program.places().stream(),
                        Stream.of(path.split(File.pathSeparator)).filter(dir -> !dir.isEmpty())
                                .map(dir -> Path.of(dir, program.name())))
                .anyMatch(Files::isExecutable);
    }
}
