package dev.tidings.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** The machine the bench ran on, for the report. */
final class Environment {

    private Environment() {
    }

    static Map<String, String> machine() {
        Map<String, String> machine = new LinkedHashMap<>();
        machine.put("CPU", cpuModel() + ", " + Runtime.getRuntime().availableProcessors() + " cores available");
        machine.put("memory", memory());
        machine.put("kernel", read("/proc/sys/kernel/osrelease").trim());
        machine.put("OS", osName());
        return machine;
    }

    private static String cpuModel() {
        for (String line : read("/proc/cpuinfo").split("\n")) {
            if (line.startsWith("model name")) {
                return line.substring(line.indexOf(':') + 1).trim();
            }
        }
        return System.getProperty("os.arch");
    }

    private static String memory() {
        for (String line : read("/proc/meminfo").split("\n")) {
            if (line.startsWith("MemTotal:")) {
                long kib = Long.parseLong(line.replaceAll("[^0-9]", ""));
                return String.format("%.1f GiB", kib / 1024.0 / 1024.0);
            }
        }
        return "?";
    }

    private static String osName() {
        for (String line : read("/etc/os-release").split("\n")) {
            if (line.startsWith("PRETTY_NAME=")) {
                return line.substring("PRETTY_NAME=".length()).replace("\"", "");
            }
        }
        return System.getProperty("os.name");
    }

    static String vertxVersion() {
        return implementationVersion(io.vertx.core.Vertx.class);
    }

    static String hdrHistogramVersion() {
        return implementationVersion(org.HdrHistogram.Histogram.class);
    }

    /** From the jar's manifest, or its file name. */
    private static String implementationVersion(Class<?> type) {
        String version = type.getPackage().getImplementationVersion();
        if (version != null) {
            return version;
        }
        try {
            String jar = Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).getFileName().toString();
            return jar.replaceAll("^.*?-(\\d[^/]*)\\.jar$", "$1");
        } catch (Exception e) {
            return "?";
        }
    }

    private static String read(String file) {
        try {
            return Files.readString(Path.of(file));
        } catch (IOException e) {
            return "";
        }
    }
}
