package dev.tidings.bench.profile;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import dev.tidings.bench.proc.Proc;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedMethod;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * What a JFR recording says about one time window: where the Java threads were when sampled,
 * what was allocated, how long garbage collection paused the application and how busy the
 * machine was. Events outside the window (start-up, connecting, warm-up, drain) are left out.
 *
 * @param executionSamples {@code jdk.ExecutionSample}s in the window: threads running Java code
 * @param selfMethods the method on top of each execution sample
 * @param stackMethods each method anywhere on an execution sample's stack, once per sample
 * @param sampledThreads execution samples by thread group
 * @param nativeMethods the top frame of each {@code jdk.NativeMethodSample} (threads in native
 *        code, waiting or not)
 * @param allocatedBytes {@code jdk.ObjectAllocationSample} weights (estimated bytes) by class
 * @param gcPauses summed pauses of {@code jdk.GarbageCollection}s, in nanoseconds, by collector
 * @param gcCount collections by collector
 * @param longestGcPause the longest single pause
 * @param jvmCpuLoad mean of {@code jdk.CPULoad}'s JVM user plus system load (share of all cores)
 * @param machineCpuLoad mean of {@code jdk.CPULoad}'s machine total
 */
public record JfrProfile(
        Duration window,
        long executionSamples,
        Tally selfMethods,
        Tally stackMethods,
        Tally sampledThreads,
        Tally nativeMethods,
        Tally allocatedBytes,
        Tally gcPauses,
        Tally gcCount,
        Duration longestGcPause,
        double jvmCpuLoad,
        double machineCpuLoad) {

    /** Reads the events of {@code recording} that start within {@code [from, to]}. */
    public static JfrProfile read(Path recording, Instant from, Instant to) throws IOException {
        Tally self = new Tally();
        Tally stack = new Tally();
        Tally threads = new Tally();
        Tally natives = new Tally();
        Tally allocated = new Tally();
        Tally pauses = new Tally();
        Tally collections = new Tally();
        Duration longest = Duration.ZERO;
        long samples = 0;
        double jvmLoad = 0;
        double machineLoad = 0;
        int loads = 0;
        try (RecordingFile file = new RecordingFile(recording)) {
            while (file.hasMoreEvents()) {
                RecordedEvent event = file.readEvent();
                Instant at = event.getStartTime();
                if (at.isBefore(from) || at.isAfter(to)) {
                    continue;
                }
                switch (event.getEventType().getName()) {
                    case "jdk.ExecutionSample" -> {
                        List<RecordedFrame> frames = frames(event);
                        if (frames.isEmpty()) {
                            continue;
                        }
                        samples++;
                        self.add(name(frames.get(0).getMethod()));
                        Set<String> onStack = new HashSet<>();
                        for (RecordedFrame frame : frames) {
                            onStack.add(name(frame.getMethod()));
                        }
                        onStack.forEach(stack::add);
                        RecordedThread thread = event.getThread("sampledThread");
                        String threadName = thread == null ? null : thread.getJavaName();
                        threads.add(threadName == null ? "(unnamed)" : Proc.threadGroup(threadName));
                    }
                    case "jdk.NativeMethodSample" -> {
                        List<RecordedFrame> frames = frames(event);
                        if (!frames.isEmpty()) {
                            natives.add(name(frames.get(0).getMethod()));
                        }
                    }
                    case "jdk.ObjectAllocationSample" ->
                            allocated.add(className(event.getClass("objectClass").getName()), event.getLong("weight"));
                    case "jdk.GarbageCollection" -> {
                        String collector = event.getString("name");
                        Duration paused = event.getDuration("sumOfPauses");
                        pauses.add(collector, paused.toNanos());
                        collections.add(collector);
                        Duration longestHere = event.getDuration("longestPause");
                        if (longestHere.compareTo(longest) > 0) {
                            longest = longestHere;
                        }
                    }
                    case "jdk.CPULoad" -> {
                        jvmLoad += event.getFloat("jvmUser") + event.getFloat("jvmSystem");
                        machineLoad += event.getFloat("machineTotal");
                        loads++;
                    }
                    default -> {
                        // not summarised
                    }
                }
            }
        }
        return new JfrProfile(Duration.between(from, to), samples, self, stack, threads, natives, allocated, pauses,
                collections, longest, loads == 0 ? Double.NaN : jvmLoad / loads,
                loads == 0 ? Double.NaN : machineLoad / loads);
    }

    private static List<RecordedFrame> frames(RecordedEvent event) {
        return event.getStackTrace() == null ? List.of() : event.getStackTrace().getFrames();
    }

    /** {@code io.netty.channel.nio.NioEventLoop.run}. */
    static String name(RecordedMethod method) {
        return typeName(method.getType().getName()) + "." + method.getName();
    }

    /**
     * A class name without the run-specific number and address a lambda's hidden class carries
     * ({@code Foo$$Lambda$430+0x00007fc0333751f8.403094604} → {@code Foo$$Lambda}), so the lambdas
     * of one class add up.
     */
    static String typeName(String name) {
        int lambda = name.indexOf("$$Lambda$");
        return lambda < 0 ? name : name.substring(0, lambda + "$$Lambda".length());
    }

    /**
     * A readable class name: JFR names arrays by descriptor ({@code [B}, {@code [Ljava.lang.Object;}),
     * shown here as {@code byte[]} and {@code java.lang.Object[]}.
     */
    static String className(String name) {
        int dims = 0;
        while (dims < name.length() && name.charAt(dims) == '[') {
            dims++;
        }
        if (dims == 0) {
            return name;
        }
        String element = switch (name.substring(dims)) {
            case "B" -> "byte";
            case "C" -> "char";
            case "S" -> "short";
            case "I" -> "int";
            case "J" -> "long";
            case "F" -> "float";
            case "D" -> "double";
            case "Z" -> "boolean";
            default -> {
                String rest = name.substring(dims);
                yield rest.startsWith("L") && rest.endsWith(";") ? rest.substring(1, rest.length() - 1) : rest;
            }
        };
        return element + "[]".repeat(dims);
    }
}
