package dev.tidings.bench.proc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A server's cost read from {@code /proc}: CPU time ({@code utime + stime} of {@code stat}, which
 * for a process covers all its threads) and memory ({@code VmRSS} of {@code status}; {@code Pss}
 * of {@code smaps_rollup}, which splits shared pages between the processes of a tree such as
 * nginx's master and workers instead of counting them once per process).
 */
public final class Proc {

    /** The fields of {@code /proc/<pid>/stat} the bench uses; times in clock ticks. */
    public record Stat(int pid, String comm, char state, int ppid, long utime, long stime) {
        public long cpuTicks() {
            return utime + stime;
        }
    }

    /** A sample of a process tree: CPU ticks and memory in KiB, summed over its processes. */
    public record Sample(List<Integer> pids, long cpuTicks, long rssKiB, long pssKiB) {
    }

    private static final Path PROC = Path.of("/proc");
    private static volatile long clockTicks;

    private Proc() {
    }

    /**
     * Parses {@code /proc/<pid>/stat}. The command name is in parentheses and may itself hold
     * spaces and parentheses, so the fields after it are found from the last {@code ')'}.
     */
    public static Stat parseStat(String text) {
        int open = text.indexOf('(');
        int close = text.lastIndexOf(')');
        if (open < 0 || close < open) {
            throw new IllegalArgumentException("not a /proc stat line: " + text);
        }
        int pid = Integer.parseInt(text.substring(0, open).trim());
        String comm = text.substring(open + 1, close);
        String[] rest = text.substring(close + 1).trim().split("\\s+");
        // rest[0] is field 3 (state); utime and stime are fields 14 and 15
        if (rest.length < 13) {
            throw new IllegalArgumentException("short /proc stat line: " + text);
        }
        return new Stat(pid, comm, rest[0].charAt(0), Integer.parseInt(rest[1]),
                Long.parseLong(rest[11]), Long.parseLong(rest[12]));
    }

    /** A {@code Key:   123 kB} value of {@code status} or {@code smaps_rollup}, in KiB; -1 when absent. */
    public static long parseKiB(String text, String key) {
        for (String line : text.split("\n")) {
            if (line.startsWith(key + ":")) {
                String[] parts = line.substring(key.length() + 1).trim().split("\\s+");
                long value = Long.parseLong(parts[0]);
                if (parts.length > 1 && !parts[1].equalsIgnoreCase("kB")) {
                    throw new IllegalArgumentException("unexpected unit in: " + line);
                }
                return value;
            }
        }
        return -1;
    }

    /** {@code root} and all its descendants that are alive now, parents first. */
    public static List<Integer> tree(int root) {
        Map<Integer, List<Integer>> children = new HashMap<>();
        try (Stream<Path> entries = Files.list(PROC)) {
            entries.map(path -> path.getFileName().toString())
                    .filter(name -> !name.isEmpty() && name.chars().allMatch(Character::isDigit))
                    .forEach(name -> stat(Integer.parseInt(name)).ifPresent(
                            stat -> children.computeIfAbsent(stat.ppid(), p -> new ArrayList<>()).add(stat.pid())));
        } catch (IOException e) {
            throw new IllegalStateException("cannot list /proc", e);
        }
        List<Integer> tree = new ArrayList<>();
        if (stat(root).isEmpty()) {
            return tree;
        }
        tree.add(root);
        for (int i = 0; i < tree.size(); i++) {
            tree.addAll(children.getOrDefault(tree.get(i), List.of()));
        }
        return tree;
    }

    public static Optional<Stat> stat(int pid) {
        try {
            return Optional.of(parseStat(Files.readString(PROC.resolve(pid + "/stat"))));
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // gone meanwhile
        }
    }

    /** Samples the processes now; a process that vanished meanwhile counts as zero. */
    public static Sample sample(List<Integer> pids) {
        long ticks = 0;
        long rss = 0;
        long pss = 0;
        for (int pid : pids) {
            ticks += stat(pid).map(Stat::cpuTicks).orElse(0L);
            rss += Math.max(0, readKiB(pid, "status", "VmRSS"));
            long p = readKiB(pid, "smaps_rollup", "Pss");
            pss += p >= 0 ? p : Math.max(0, readKiB(pid, "status", "VmRSS"));
        }
        return new Sample(List.copyOf(pids), ticks, rss, pss);
    }

    /**
     * CPU ticks of this process's children that have exited and been waited for ({@code cutime}
     * plus {@code cstime} of {@code /proc/self/stat}): a replica that exits mid-run takes its ticks
     * from the samples with it, and they show up here.
     */
    public static long reapedChildrenTicks() {
        try {
            String text = Files.readString(PROC.resolve("self/stat"));
            String[] fields = text.substring(text.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[13]) + Long.parseLong(fields[14]);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    public static Sample sampleTree(int root) {
        return sample(tree(root));
    }

    /**
     * CPU ticks of every thread of the processes now, summed by {@link #threadGroup thread group};
     * a thread that ended meanwhile is not counted.
     */
    public static Map<String, Long> threadTicks(List<Integer> pids) {
        Map<String, Long> groups = new TreeMap<>();
        for (int pid : pids) {
            try (Stream<Path> tasks = Files.list(PROC.resolve(pid + "/task"))) {
                tasks.forEach(task -> {
                    try {
                        Stat stat = parseStat(Files.readString(task.resolve("stat")));
                        groups.merge(threadGroup(stat.comm()), stat.cpuTicks(), Long::sum);
                    } catch (IOException | RuntimeException e) {
                        // the thread ended meanwhile
                    }
                });
            } catch (IOException e) {
                // the process ended meanwhile
            }
        }
        return groups;
    }

    /**
     * A thread's group: its name without the number that tells threads of a pool apart
     * ({@code GC Thread#3} → {@code GC Thread#*}, {@code vert.x-eventloop-thread-1} →
     * {@code vert.x-eventloop-thread-*}). The kernel keeps 15 characters of a name, so pools whose
     * names are longer are grouped by those already.
     */
    public static String threadGroup(String name) {
        return name.replaceFirst("\\d+$", "*");
    }

    private static long readKiB(int pid, String file, String key) {
        try {
            return parseKiB(Files.readString(PROC.resolve(pid + "/" + file)), key);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** Clock ticks per second ({@code getconf CLK_TCK}; 100 on Linux unless configured otherwise). */
    public static long clockTicks() {
        long ticks = clockTicks;
        if (ticks == 0) {
            ticks = 100;
            try {
                Process process = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
                String out = new String(process.getInputStream().readAllBytes()).trim();
                if (process.waitFor() == 0) {
                    ticks = Long.parseLong(out);
                }
            } catch (IOException | NumberFormatException e) {
                // keep the Linux default
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            clockTicks = ticks;
        }
        return ticks;
    }

    public static double seconds(long ticks) {
        return (double) ticks / clockTicks();
    }
}
