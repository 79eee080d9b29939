package dev.tidings.server.web;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.assertions.PlaywrightAssertions;

import dev.tidings.server.support.ServerProcess;

/**
 * Browser tests drive Debian's Chromium ({@code /usr/bin/chromium}) through Playwright. One
 * browser and one packaged server are shared by all browser test classes of the test JVM, and
 * are injected as {@link Browser} and {@link ServerProcess} parameters.
 * <p>
 * Where Chromium is absent the tests are skipped, with the reason printed, unless the
 * environment sets {@code TIDINGS_REQUIRE_BROWSER=true} (CI does): then its absence fails them.
 */
public final class BrowserExtension implements ExecutionCondition, ParameterResolver {

    /** Debian's Chromium; the property exists to check the skip and the CI failure without removing it. */
    static final Path CHROMIUM = Paths.get(System.getProperty("tidings.chromium", "/usr/bin/chromium"));
    static final Path SCREENSHOTS = Paths.get("target", "screenshots");
    /** The machine's rules for a headless Chromium without network access beyond loopback. */
    private static final List<String> CHROMIUM_ARGS = List.of("--headless", "--no-sandbox", "--disable-gpu",
            "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-quic",
            "--no-first-run");
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(BrowserExtension.class);

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        if (Files.isExecutable(CHROMIUM)) {
            PlaywrightAssertions.setDefaultAssertionTimeout(15_000);
            return ConditionEvaluationResult.enabled(CHROMIUM + " is installed");
        }
        if ("true".equalsIgnoreCase(System.getenv("TIDINGS_REQUIRE_BROWSER"))) {
            throw new IllegalStateException(CHROMIUM + " is absent but TIDINGS_REQUIRE_BROWSER=true: "
                    + "install it with apt-get install -y chromium");
        }
        String reason = "Browser tests skipped: " + CHROMIUM + " is absent (apt-get install -y chromium)";
        System.out.println("[WARNING] " + reason + " in " + context.getDisplayName());
        return ConditionEvaluationResult.disabled(reason);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == Browser.class || type == ServerProcess.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        ExtensionContext.Store store = context.getRoot().getStore(NAMESPACE);
        if (parameter.getParameter().getType() == Browser.class) {
            return store.getOrComputeIfAbsent(SharedBrowser.class, ignored -> new SharedBrowser(), SharedBrowser.class)
                    .browser;
        }
        return store.getOrComputeIfAbsent(SharedServer.class, ignored -> new SharedServer(), SharedServer.class).server;
    }

    /** Writes a screenshot of the whole page to {@code target/screenshots/<name>.png}. */
    static Path screenshot(Page page, String name) {
        Path path = SCREENSHOTS.resolve(name + ".png");
        page.screenshot(new Page.ScreenshotOptions().setPath(path).setFullPage(true));
        return path;
    }

    private static final class SharedBrowser implements AutoCloseable {

        final Playwright playwright;
        final Browser browser;

        SharedBrowser() {
            playwright = Playwright.create(new Playwright.CreateOptions()
                    .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
            browser = playwright.chromium().launch(new BrowserType.LaunchOptions()
                    .setExecutablePath(CHROMIUM)
                    .setHeadless(true)
                    .setChromiumSandbox(false)
                    .setArgs(CHROMIUM_ARGS));
        }

        @Override
        public void close() {
            browser.close();
            playwright.close();
        }
    }

    private static final class SharedServer implements AutoCloseable {

        final ServerProcess server;

        SharedServer() {
            try {
                server = ServerProcess.start(new File("target/browser-tests-server.log"), ServerProcess.trustingTestTokens());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void close() {
            server.close();
        }
    }
}
