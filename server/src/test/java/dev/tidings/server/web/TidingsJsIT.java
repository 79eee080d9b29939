package dev.tidings.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.ExtendWith;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Route;

import dev.tidings.server.support.ServerProcess;

/**
 * Unit tests of tidings.js (de-duplication, the reset signal, backoff and re-creation, status,
 * tokens) in Chromium. The test page and module come from this module's test resources and are
 * answered by the browser's request routing under /__tests__/ on the server's origin, so they
 * import the /tidings.js the server really serves while no test code ships in the product.
 */
@ExtendWith(BrowserExtension.class)
class TidingsJsIT {

    private static final String TESTS = "/__tests__/";

    @TestFactory
    Stream<DynamicTest> tidingsJs(ServerProcess server, Browser browser) {
        List<Map<String, Object>> results;
        try (BrowserContext context = browser.newContext(new Browser.NewContextOptions()
                .setBaseURL(server.uri("").toString()))) {
            context.route("**" + TESTS + "**", TidingsJsIT::fromTestResources);
            Page page = context.newPage();
            StringBuilder errors = new StringBuilder();
            page.onPageError(error -> errors.append(error).append('\n'));
            page.navigate(TESTS + "tidings-test.html");
            page.waitForFunction("() => window.tidingsTestResults !== undefined");
            assertThat(errors).as("errors on the test page").isEmpty();
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> answer = (List<Map<String, Object>>) page.evaluate("() => window.tidingsTestResults");
            results = answer;
        }
        assertThat(results).as("tidings.js test cases").hasSizeGreaterThanOrEqualTo(10);
        return results.stream().map(result -> DynamicTest.dynamicTest((String) result.get("name"),
                () -> assertThat((Boolean) result.get("passed")).as((String) result.get("message")).isTrue()));
    }

    private static void fromTestResources(Route route) {
        String name = route.request().url().replaceFirst("^.*" + TESTS, "").replaceFirst("[?#].*$", "");
        try (InputStream in = TidingsJsIT.class.getResourceAsStream("/web-tests/" + name)) {
            if (in == null) {
                route.fulfill(new Route.FulfillOptions().setStatus(404));
                return;
            }
            String type = name.endsWith(".js") ? "text/javascript" : "text/html";
            route.fulfill(new Route.FulfillOptions().setStatus(200).setContentType(type).setBodyBytes(in.readAllBytes()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
