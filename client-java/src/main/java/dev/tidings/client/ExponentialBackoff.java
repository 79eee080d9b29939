package dev.tidings.client;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * Exponential backoff with jitter: the base is the server's {@code retry:} when it sent one, else
 * {@code initial}; attempt n waits {@code base × multiplier^(n-1)}, capped at {@code max} (or at
 * the server's {@code retry:} when that is larger), less a random share of up to
 * {@code jitter} of it. With jitter 0.5 a 4 s step waits between 2 and 4 s.
 */
public final class ExponentialBackoff implements BackoffPolicy {

    private final Duration initial;
    private final Duration max;
    private final double multiplier;
    private final double jitter;
    private final DoubleSupplier random;

    public ExponentialBackoff(Duration initial, Duration max, double multiplier, double jitter) {
        this(initial, max, multiplier, jitter, () -> ThreadLocalRandom.current().nextDouble());
    }

    /** @param random values in [0, 1): the share of the jitter to take off */
    public ExponentialBackoff(Duration initial, Duration max, double multiplier, double jitter, DoubleSupplier random) {
        this.initial = requirePositive(initial, "initial");
        this.max = requirePositive(max, "max");
        if (multiplier < 1) {
            throw new IllegalArgumentException("multiplier must be at least 1");
        }
        if (jitter < 0 || jitter > 1) {
            throw new IllegalArgumentException("jitter must be between 0 and 1");
        }
        this.multiplier = multiplier;
        this.jitter = jitter;
        this.random = Objects.requireNonNull(random, "random");
    }

    public Duration initial() {
        return initial;
    }

    public Duration max() {
        return max;
    }

    public double multiplier() {
        return multiplier;
    }

    public double jitter() {
        return jitter;
    }

    @Override
    public Duration delay(int attempt, Duration serverRetry) {
        long base = (serverRetry != null ? serverRetry : initial).toMillis();
        long cap = Math.max(max.toMillis(), base);
        double step = base * Math.pow(multiplier, Math.max(0, attempt - 1));
        double capped = Math.min(cap, step);
        double jittered = capped - capped * jitter * random.getAsDouble();
        return Duration.ofMillis(Math.max(0, Math.round(jittered)));
    }

    private static Duration requirePositive(Duration value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive");
        }
        return value;
    }
}
