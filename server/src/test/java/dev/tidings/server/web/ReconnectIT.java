package dev.tidings.server.web;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;

import dev.tidings.server.support.ServerProcess;

/**
 * A page outlives its server: stopped with SIGTERM and started again on the same port, the chat
 * page shows reconnecting, then open, says it may have missed events (the new server has no
 * history of the old one's ids) and shows new messages again.
 */
@ExtendWith(BrowserExtension.class)
class ReconnectIT {

    private static final String ROOM = "/api/v1/chat/reconnect/messages";
    /** Covers the stream's retry interval and the backoff while the server is down or starting. */
    private static final LocatorAssertions.HasAttributeOptions RECONNECT_TIME =
            new LocatorAssertions.HasAttributeOptions().setTimeout(60_000);

    @Test
    void afterTheServerRestartsThePageReconnectsAndNewEventsFlow(Browser browser) throws Exception {
        ServerProcess first = ServerProcess.start(new File("target/reconnect-it-1.log"));
        int port = first.port();
        try (BrowserContext context = browser.newContext(
                new Browser.NewContextOptions().setBaseURL(first.uri("").toString()).setViewportSize(1280, 860))) {
            Page page = context.newPage();
            page.navigate("/chat.html?room=reconnect&name=ann");
            Locator status = page.locator("#status");
            assertThat(status).hasAttribute("data-status", "open");
            assertThat(page.locator("#members")).hasText("1 member online");
            assertThat(first.postJson(ROOM, "{\"author\":\"bob\",\"text\":\"before the restart\"}").statusCode())
                    .isEqualTo(201);
            assertThat(page.locator("#messages li .text")).hasText("before the restart");

            first.terminate();
            boolean stopped = first.awaitExit(Duration.ofSeconds(30));
            assertThat(stopped).as("first server stopped").isTrue();
            assertThat(status).hasAttribute("data-status", "reconnecting");
            assertThat(status).hasText("Reconnecting");
            assertThat(page.locator("#notice")).isHidden();

            try (ServerProcess second = ServerProcess.start(new File("target/reconnect-it-2.log"), port)) {
                assertThat(status).hasAttribute("data-status", "open", RECONNECT_TIME);
                assertThat(page.locator("#notice")).isVisible();
                assertThat(page.locator("#notice")).containsText("You may have missed events");
                assertThat(page.locator("#members")).hasText("1 member online");

                assertThat(second.postJson(ROOM, "{\"author\":\"bob\",\"text\":\"after the restart\"}").statusCode())
                        .isEqualTo(201);
                assertThat(page.locator("#messages li .text")).containsText(
                        new String[] {"before the restart", "after the restart"});
                BrowserExtension.screenshot(page, "chat-after-restart");
            }
        } finally {
            first.close();
        }
    }
}
