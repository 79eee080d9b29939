package dev.tidings.server.support;

import java.util.Optional;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs a test class only where a real Redis can be started ({@link RedisServer}); elsewhere it is
 * skipped with the reason printed, unless the environment sets {@code TIDINGS_REQUIRE_REDIS=true}
 * (CI does): then the absence fails it.
 */
public final class RedisAvailable implements ExecutionCondition {

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        Optional<String> unavailable = RedisServer.unavailableReason();
        if (unavailable.isEmpty()) {
            return ConditionEvaluationResult.enabled("a Redis can be started");
        }
        if ("true".equalsIgnoreCase(System.getenv("TIDINGS_REQUIRE_REDIS"))) {
            throw new IllegalStateException("No Redis for the Redis tests, but TIDINGS_REQUIRE_REDIS=true: " + unavailable.get());
        }
        String reason = "Redis tests skipped: " + unavailable.get();
        System.out.println("[WARNING] " + reason + " in " + context.getDisplayName());
        return ConditionEvaluationResult.disabled(reason);
    }
}
