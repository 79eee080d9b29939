package dev.tidings.server.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The Dockerfiles checked without a Docker engine, after the build: what each {@code COPY} takes
 * exists, the image runs as a non-root user, and it exposes the server's HTTP port. Build context
 * is {@code server/}, filtered by its {@code .dockerignore}.
 */
class ContainerImagesIT {

    private static final Path DOCKER = Path.of("src/main/docker");

    @Test
    void theJvmImageCopiesTheFastJarAndJvmOptionsAndRunsThemAsANonRootUser() throws IOException {
        List<String> lines = Files.readAllLines(DOCKER.resolve("Dockerfile.jvm"));
        List<String> sources = copySources(lines);
        assertThat(sources).contains("target/quarkus-app/lib/", "target/quarkus-app/*.jar", "target/quarkus-app/app/",
                "target/quarkus-app/quarkus/", "jvm.options");
        for (String source : sources) {
            assertThat(matches(source)).as("files for COPY %s after the build", source).isNotEmpty();
            assertThat(keptByDockerignore(source)).as("%s passes .dockerignore", source).isTrue();
        }
        assertThat(lines).anyMatch(line -> line.startsWith("ENV JAVA_OPTS_APPEND=\"@/deployments/jvm.options "));
        assertNonRootOnTheHttpPort(lines);
    }

    @Test
    void theRunnableJarLetsNettyLoadItsNativeTransportWithoutAFlag() throws IOException {
        try (JarFile jar = new JarFile("target/quarkus-app/quarkus-run.jar")) {
            // JDK 22+ would otherwise warn at start; neither README's command nor the image passes --enable-native-access.
            assertThat(jar.getManifest().getMainAttributes().getValue("Enable-Native-Access")).isEqualTo("ALL-UNNAMED");
        }
    }

    @Test
    void theJdkOfTheJvmImageTakesItsJvmOptions() throws Exception {
        List<String> lines = Files.readAllLines(DOCKER.resolve("Dockerfile.jvm"));
        String from = lines.stream().filter(line -> line.startsWith("FROM ")).findFirst().orElseThrow();
        Matcher base = Pattern.compile("openjdk-(\\d+)-runtime").matcher(from);
        assertThat(base.find()).as("an OpenJDK runtime image: %s", from).isTrue();
        String major = base.group(1);
        Optional<Path> java = localJdk(major);
        // The image's JDK is not always on the machine (CI's has the JDK 25 the native build uses).
        Assumptions.assumeTrue(java.isPresent(), "no JDK " + major + " here to try the image's JVM options on");
        String options = lines.stream().filter(line -> line.startsWith("ENV JAVA_OPTS_APPEND=\"")).findFirst().orElseThrow();
        List<String> command = new ArrayList<>(List.of(java.get().resolve("bin/java").toString()));
        for (String option : options.substring(options.indexOf('"') + 1, options.lastIndexOf('"')).split("\\s+")) {
            command.add(option.replace("@/deployments/jvm.options", "@jvm.options"));
        }
        // jvm.options lets an older JDK skip what it lacks; the image's JDK must know every option.
        command.add("-XX:-IgnoreUnrecognizedVMOptions");
        command.add("-version");
        // -version writes a few lines, well within the pipe's buffer: waiting first cannot block it.
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output).contains("version \"" + major).doesNotContain("WARNING", "Unrecognized");
    }

    @Test
    void theNativeImageCopiesTheRunnerAndRunsItAsANonRootUser() throws IOException {
        List<String> lines = Files.readAllLines(DOCKER.resolve("Dockerfile.native-micro"));
        List<String> sources = copySources(lines);
        assertThat(sources).containsExactly("target/*-runner");
        assertThat(keptByDockerignore("target/*-runner")).isTrue();
        if (!matches("target/*-runner").isEmpty()) {
            // only a native build (-Dnative) makes it
            assertThat(Files.isExecutable(matches("target/*-runner").get(0))).isTrue();
        }
        assertNonRootOnTheHttpPort(lines);
    }

    private static void assertNonRootOnTheHttpPort(List<String> lines) throws IOException {
        List<String> users = lines.stream().filter(line -> line.startsWith("USER ")).toList();
        assertThat(users).isNotEmpty();
        String user = users.get(users.size() - 1).substring("USER ".length()).trim();
        assertThat(user).as("the last USER").isNotIn("root", "0").matches("\\d+");
        Properties settings = new Properties();
        try (var in = Files.newBufferedReader(Path.of("src/main/resources/application.properties"))) {
            settings.load(in);
        }
        assertThat(lines).contains("EXPOSE " + settings.getProperty("quarkus.http.port"));
    }

    /** A JDK of that major version on this machine: the running one, else one under /usr/lib/jvm. */
    private static Optional<Path> localJdk(String major) throws IOException {
        List<Path> candidates = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"))));
        Path jvms = Path.of("/usr/lib/jvm");
        if (Files.isDirectory(jvms)) {
            try (Stream<Path> installed = Files.list(jvms)) {
                installed.sorted().forEach(candidates::add);
            }
        }
        for (Path home : candidates) {
            Path release = home.resolve("release");
            if (Files.isExecutable(home.resolve("bin/java")) && Files.isRegularFile(release)
                    && Files.readAllLines(release).stream().anyMatch(line -> line.startsWith("JAVA_VERSION=\"" + major))) {
                return Optional.of(home);
            }
        }
        return Optional.empty();
    }

    /** The source of each {@code COPY} (options such as {@code --chown} left out). */
    private static List<String> copySources(List<String> lines) {
        List<String> sources = new ArrayList<>();
        for (String line : lines) {
            if (line.startsWith("COPY ")) {
                List<String> words = new ArrayList<>(List.of(line.substring(5).trim().split("\\s+")));
                words.removeIf(word -> word.startsWith("--"));
                sources.addAll(words.subList(0, words.size() - 1));
            }
        }
        return sources;
    }

    /** What a COPY source names in the build context, {@code server/} (the working directory). */
    private static List<Path> matches(String source) throws IOException {
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + withoutSlash(source));
        Path context = Path.of(".");
        try (Stream<Path> paths = Files.walk(context, 3)) {
            return paths.map(context::relativize).filter(matcher::matches).toList();
        }
    }

    /** Whether {@code .dockerignore} (deny all, then allow what it names) lets {@code source} in. */
    private static boolean keptByDockerignore(String source) throws IOException {
        List<String> rules = Files.readAllLines(Path.of(".dockerignore")).stream()
                .filter(line -> !line.isBlank() && !line.startsWith("#")).toList();
        assertThat(rules.get(0)).isEqualTo("*");
        Path path = Path.of(withoutSlash(source));
        return rules.stream().filter(rule -> rule.startsWith("!"))
                .anyMatch(rule -> FileSystems.getDefault().getPathMatcher("glob:" + rule.substring(1)).matches(path));
    }

    private static String withoutSlash(String source) {
        return source.endsWith("/") ? source.substring(0, source.length() - 1) : source;
    }
}
