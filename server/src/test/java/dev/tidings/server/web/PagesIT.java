package dev.tidings.server.web;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.microsoft.playwright.APIResponse;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Route;
import com.microsoft.playwright.options.AriaRole;

import dev.tidings.server.security.TestTokens;
import dev.tidings.server.support.ServerProcess;

/**
 * The four pages in Chromium against the packaged server: live updates, two pages of one chat
 * room, notifications from the API and from the dashboard's form, text that looks like HTML,
 * and a phone-sized screen. Each test ends with a screenshot under target/screenshots.
 */
@ExtendWith(BrowserExtension.class)
class PagesIT {

    private static final int DESKTOP_WIDTH = 1280;
    private static final int DESKTOP_HEIGHT = 860;
    /** A backend's token: the default rules let anonymous callers publish to chat and notifications only. */
    private static final String BACKEND = TestTokens.publisher("backend", "**");

    private final ServerProcess server;
    private final Browser browser;
    private final List<BrowserContext> contexts = new ArrayList<>();
    /** Uncaught exceptions and console errors of every page a test opened. */
    private final List<String> errors = new CopyOnWriteArrayList<>();
    private final List<String> dialogs = new CopyOnWriteArrayList<>();

    PagesIT(ServerProcess server, Browser browser) {
        this.server = server;
        this.browser = browser;
    }

    @AfterEach
    void closePages() {
        contexts.forEach(BrowserContext::close);
        assertThat(errors).as("page errors").isEmpty();
        assertThat(dialogs).as("dialogs opened by the pages").isEmpty();
    }

    @Test
    void timerPageCountsTicksAndShowsTheServerTime() {
        Page page = open("/timer.html?period=PT0.2S");
        Locator counter = page.locator("#counter");
        assertThat(counter).hasText(Pattern.compile("[1-9][0-9]*"));
        int first = Integer.parseInt(counter.textContent());

        page.waitForFunction("n => Number(document.getElementById('counter').textContent) >= n + 3", first);

        assertThat(page.locator("#server-time")).hasText(Pattern.compile("\\d{2}:\\d{2}:\\d{2}\\.\\d{3}"));
        assertThat(page.locator("#server-instant")).hasText(Pattern.compile("\\d{4}-\\d{2}-\\d{2}T.*Z"));
        BrowserExtension.screenshot(page, "timer");
    }

    @Test
    void aChatMessageReachesASecondPageOfTheRoomWhichCountsTwoMembers() {
        String room = "pages-chat";
        Page ann = open("/chat.html?room=" + room);
        ann.getByLabel("Your name").fill("ann");
        ann.getByLabel("Your name").press("Enter"); // joins from the keyboard
        Page bob = open("/chat.html?room=" + room + "&name=bob");

        assertThat(ann.locator("#members")).hasText("2 members online");
        assertThat(bob.locator("#members")).hasText("2 members online");

        send(ann, "Morning! The 2.4 release is on staging.");
        Locator received = bob.locator("#messages li").last();
        assertThat(received.locator(".author")).hasText("ann");
        assertThat(received.locator(".text")).hasText("Morning! The 2.4 release is on staging.");
        assertThat(messageBox(ann)).hasValue("");

        send(bob, "Great, I'll run the smoke tests now.");
        assertThat(ann.locator("#messages li").last().locator(".text")).hasText("Great, I'll run the smoke tests now.");
        assertThat(ann.locator("#messages li.mine")).hasCount(1);
        send(ann, "Merci ! Ping me if anything looks off.");
        assertThat(bob.locator("#messages li")).hasCount(3);
        BrowserExtension.screenshot(ann, "chat");

        bob.close();
        assertThat(ann.locator("#members")).hasText("1 member online");
    }

    @Test
    void theChatPageShowsMessagesPostedBeforeItOpenedThenLiveOnesNoneTwice() {
        String room = "pages-history";
        chat(room, "ann", "Who has the release notes?");
        chat(room, "cem", "In the wiki, under 2.4.");
        // A message posted after the page read the room's history and before its stream opened.
        Page page = open("/chat.html?room=" + room + "&name=bob", context -> context.route(
                "**/api/v1/topics/chat/" + room + "/events?last=50", route -> {
                    APIResponse history = route.fetch();
                    chat(room, "ann", "Thanks!");
                    route.fulfill(new Route.FulfillOptions().setResponse(history));
                }));

        Locator texts = page.locator("#messages li .text");
        assertThat(texts).hasText(new String[] {"Who has the release notes?", "In the wiki, under 2.4.", "Thanks!"});
        assertThat(page.locator("#messages li .author")).hasText(new String[] {"ann", "cem", "ann"});
        assertThat(page.locator("#messages-empty")).isHidden();

        chat(room, "cem", "Anytime.");
        send(page, "Found them, thanks.");
        assertThat(texts).hasText(new String[] {"Who has the release notes?", "In the wiki, under 2.4.", "Thanks!",
            "Anytime.", "Found them, thanks."});
        assertThat(page.locator("#messages li.mine")).hasCount(1);
        BrowserExtension.screenshot(page, "chat-history");
    }

    @Test
    void theNotificationsPageListsTheLatestOfItsChannelsThenLiveOnesNoneTwice() {
        notify("history-ops", "info", "Nightly build green", null);
        notify("history-other", "error", "Not followed", null);
        notify("history-db", "warning", "Replica lag 4 s", null);
        notify("history-ops", "success", "Deploy 2.4 done", null);
        // One published while the page reads the channels' histories, before its stream opens.
        Page page = open("/notifications.html?channel=history-ops&channel=history-db", context -> context.route(
                "**/api/v1/topics/notifications/history-db/events?last=20", route -> {
                    APIResponse history = route.fetch();
                    notify("history-ops", "error", "Disk 91% full", null);
                    route.fulfill(new Route.FulfillOptions().setResponse(history));
                }));

        Locator titles = page.locator("#notifications li .n-title");
        assertThat(titles).hasText(new String[] {"Disk 91% full", "Deploy 2.4 done", "Replica lag 4 s",
            "Nightly build green"});
        assertThat(page.locator("#toasts .toast")).hasCount(1);
        assertThat(page.locator("#toasts .toast")).containsText("Disk 91% full");

        notify("history-db", "info", "Replica caught up", null);
        assertThat(titles).hasText(new String[] {"Replica caught up", "Disk 91% full", "Deploy 2.4 done",
            "Replica lag 4 s", "Nightly build green"});
        assertThat(page.locator("#toasts .toast")).hasCount(2);

        Page all = open("/notifications.html");
        assertThat(all.locator("#notifications li .n-title").first()).hasText("Replica caught up");
        assertThat(all.locator("#notifications li", new Page.LocatorOptions().setHasText("Not followed"))).hasCount(1);
        assertThat(all.locator("#toasts .toast")).hasCount(0);
        BrowserExtension.screenshot(page, "notifications-history");
    }

    @Test
    void aNotificationFromTheApiAppearsOnTheDashboardAndTheNotificationsPage() throws Exception {
        Page dashboard = open("/");
        Page notifications = open("/notifications.html?channel=ops");
        assertThat(notifications.locator("#following")).hasText("ops");

        notify("billing", "warning", "Card expiring", null); // another channel: not followed
        notify("ops", "warning", "Disk almost full", "db-1 is at 91% of its volume");

        // Other topics may show up too (chat presence of earlier tests): only notifications count.
        Locator dashboardNotifications = dashboard.locator("#events li.type-notification");
        Locator row = dashboardNotifications.first();
        assertThat(row.locator(".topic")).hasText("notifications/ops");
        assertThat(row.locator(".summary")).hasText("Disk almost full — db-1 is at 91% of its volume");
        assertThat(dashboardNotifications).hasCount(2);

        Locator item = notifications.locator("#notifications li").first();
        assertThat(item).hasAttribute("data-level", "warning");
        assertThat(item.locator(".n-title")).hasText("Disk almost full");
        assertThat(item.locator(".n-body")).hasText("db-1 is at 91% of its volume");
        assertThat(notifications.locator("#toasts .toast").first()).containsText("Disk almost full");
        assertThat(notifications.locator("#notifications li")).hasCount(1);

        // The dashboard's own form publishes too.
        dashboard.getByLabel("Channel").fill("ops");
        dashboard.getByLabel("Level").selectOption("success");
        dashboard.getByLabel("Title").fill("Deploy finished");
        dashboard.getByLabel("Message (optional)").fill("api 2.4.0 is live in eu-west");
        dashboard.getByRole(AriaRole.BUTTON,
                new Page.GetByRoleOptions().setName("Send notification")).click();
        assertThat(dashboard.locator("#send-result")).hasText("Sent to ops.");
        assertThat(notifications.locator("#notifications li").first()).hasAttribute("data-level", "success");
        assertThat(notifications.locator("#notifications li").first().locator(".n-title")).hasText("Deploy finished");

        notify("ops", "error", "Payment webhook failing", "5 failures in the last minute");
        notify("ops", "info", "Weekly report ready", null);
        assertThat(notifications.locator("#notifications li")).hasCount(4);
        assertThat(notifications.locator("#notifications li[data-level=error] .n-title"))
                .hasText("Payment webhook failing");
        assertThat(dashboardNotifications).hasCount(5);

        BrowserExtension.screenshot(notifications, "notifications");
    }

    @Test
    void theDashboardChartsEventsPerSecondAcrossTopics() throws Exception {
        Page dashboard = open("/?type=order.paid");
        String[] batches = {
            "orders/eu order.paid {\"order\":1042,\"total\":\"59.90 EUR\"}",
            "chat/lobby message {\"author\":\"ann\",\"text\":\"Lunch at 12?\"}",
            "metrics/cpu message {\"host\":\"web-1\",\"load\":0.71}",
            "notifications/backups notification {\"channel\":\"backups\",\"title\":\"Backup done\",\"level\":\"success\"}",
        };
        int published = 0;
        for (int second = 0; second < 4; second++) {
            for (int i = 0; i <= second * 2; i++) {
                String[] event = batches[(second + i) % batches.length].split(" ", 3);
                assertThat(server.postJson("/api/v1/topics/" + event[0] + "/events",
                        "{\"type\":\"" + event[1] + "\",\"data\":" + event[2] + "}", BACKEND).statusCode()).isEqualTo(201);
                published++;
            }
            // Waits for the chart to draw the second these events fell in, so the next batch falls in a later one.
            dashboard.waitForFunction("n => Number(/: (\\d+) events/.exec(document.getElementById('chart')"
                    + ".getAttribute('aria-label'))?.[1]) >= n", published);
        }
        assertThat(dashboard.locator("#events li.type-order\\.paid .summary").first())
                .hasText("{\"order\":1042,\"total\":\"59.90 EUR\"}");
        assertThat(dashboard.locator("#events li .summary", new Page.LocatorOptions().setHasText("ann: Lunch at 12?"))
                .first()).isVisible();
        assertThat(dashboard.locator("#topics")).hasText(Pattern.compile("[4-9]|\\d{2,}"));
        BrowserExtension.screenshot(dashboard, "dashboard");
    }

    @Test
    void aDashboardOpenedWithATokenShowsThePrivateTopicsItCoversAndAnAnonymousOneDoesNot() throws Exception {
        Page anonymous = open("/");
        Page ann = open("/?token=" + TestTokens.subscriber("ann", "private/reports/**"));
        assertThat(server.postJson("/api/v1/topics/private/reports/q4/events", "{\"data\":{\"revenue\":\"secret\"}}",
                BACKEND).statusCode()).isEqualTo(201);
        assertThat(server.postJson("/api/v1/topics/public/after-report/events", "{\"data\":{\"n\":1}}", BACKEND)
                .statusCode()).isEqualTo(201);

        assertThat(ann.locator("#events li", new Page.LocatorOptions().setHasText("private/reports/q4"))).hasCount(1);
        assertThat(anonymous.locator("#events li", new Page.LocatorOptions().setHasText("public/after-report")))
                .hasCount(1);
        assertThat(anonymous.locator("#events li", new Page.LocatorOptions().setHasText("private/reports/q4")))
                .hasCount(0);
        BrowserExtension.screenshot(ann, "dashboard-with-token");
    }

    @Test
    void aChatMessageSentFromAPageWithATokenIsAuthoredByTheToken() {
        String room = "pages-token";
        Page reader = open("/chat.html?room=" + room + "&name=bob");
        Page ann = open("/chat.html?room=" + room + "&name=mallory&token="
                + TestTokens.sign(TestTokens.claims("u-7").claim("name", "Ann Example")));
        send(ann, "signed hello");
        assertThat(reader.locator("#messages li", new Page.LocatorOptions().setHasText("signed hello")))
                .containsText("Ann Example");
        assertThat(reader.locator("#messages li", new Page.LocatorOptions().setHasText("signed hello")))
                .not().containsText("mallory");
    }

    @Test
    void chatTextThatLooksLikeHtmlIsShownAsTextAndRunsNothing() throws Exception {
        String payload = "<img src=x onerror=alert(1)>";
        Page chat = open("/chat.html?room=pages-xss&name=mallory");
        Page dashboard = open("/");

        send(chat, payload);
        Locator text = chat.locator("#messages li").first().locator(".text");
        assertThat(text).hasText(payload);
        assertThat(chat.locator("#messages img")).hasCount(0);
        assertThat(dashboard.locator("#events li.type-message .summary").first()).hasText("mallory: " + payload);
        assertThat(dashboard.locator("#events img")).hasCount(0);

        String author = "<b onmouseover=alert(2)>eve</b>";
        assertThat(server.postJson("/api/v1/chat/pages-xss/messages",
                "{\"author\":\"" + author + "\",\"text\":\"<script>alert(3)</script>\"}").statusCode()).isEqualTo(201);
        Locator last = chat.locator("#messages li").last();
        assertThat(last.locator(".author")).hasText(author);
        assertThat(last.locator(".text")).hasText("<script>alert(3)</script>");
        assertThat(chat.locator("#messages b, #messages script")).hasCount(0);

        // Defence in depth: the pages may run no inline script at all.
        assertThat(server.get("/chat.html").headers().firstValue("Content-Security-Policy"))
                .hasValueSatisfying(csp -> assertThat(csp).contains("script-src 'self';").doesNotContain("unsafe"));

        // An injected handler would have had its chance by the time a later message is shown.
        send(chat, "still here");
        assertThat(chat.locator("#messages li").last().locator(".text")).hasText("still here");
        assertThat(text).hasText(payload);
        assertThat(dialogs).isEmpty();
    }

    @Test
    void everyPageFitsAPhoneScreen() {
        Map<String, String> pages = Map.of("dashboard", "/", "timer", "/timer.html",
                "notifications", "/notifications.html", "chat", "/chat.html?room=pages-phone&name=ann");
        pages.forEach((name, path) -> {
            Page page = open(path, 390, 844);
            Object fits = page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth");
            assertThat(fits).as("%s has no horizontal scrolling at 390 px", path).isEqualTo(true);
            if (name.equals("chat")) {
                send(page, "Typed on a phone");
                assertThat(page.locator("#messages li .text")).hasText("Typed on a phone");
            }
            BrowserExtension.screenshot(page, name + "-phone");
        });
    }

    private Page open(String path) {
        return open(path, DESKTOP_WIDTH, DESKTOP_HEIGHT, context -> {
        });
    }

    private Page open(String path, Consumer<BrowserContext> setUp) {
        return open(path, DESKTOP_WIDTH, DESKTOP_HEIGHT, setUp);
    }

    private Page open(String path, int width, int height) {
        return open(path, width, height, context -> {
        });
    }

    /**
     * Opens a page in a context of its own (own storage, as another browser), set up by
     * {@code setUp} first, once its stream is open.
     */
    private Page open(String path, int width, int height, Consumer<BrowserContext> setUp) {
        BrowserContext context = browser.newContext(new Browser.NewContextOptions()
                .setBaseURL(server.uri("").toString())
                .setViewportSize(width, height)
                .setLocale("en-GB")
                .setTimezoneId("UTC"));
        contexts.add(context);
        setUp.accept(context);
        Page page = context.newPage();
        page.onPageError(error -> errors.add(path + ": " + error));
        page.onConsoleMessage(message -> {
            if ("error".equals(message.type())) {
                errors.add(path + ": console: " + message.text());
            }
        });
        page.onDialog(dialog -> {
            dialogs.add(path + ": " + dialog.type() + " " + dialog.message());
            dialog.dismiss();
        });
        page.navigate(path);
        assertThat(page.locator("#status")).hasAttribute("data-status", "open");
        return page;
    }

    private static Locator messageBox(Page page) {
        return page.getByLabel("Message", new Page.GetByLabelOptions().setExact(true));
    }

    /** Types a chat message and sends it with Enter. */
    private static void send(Page page, String text) {
        messageBox(page).fill(text);
        messageBox(page).press("Enter");
    }

    private void notify(String channel, String level, String title, String body) {
        String json = "{\"channel\":\"" + channel + "\",\"level\":\"" + level + "\",\"title\":\"" + title + "\""
                + (body == null ? "" : ",\"body\":\"" + body + "\"") + "}";
        post("/api/v1/notifications", json);
    }

    private void chat(String room, String author, String text) {
        post("/api/v1/chat/" + room + "/messages", "{\"author\":\"" + author + "\",\"text\":\"" + text + "\"}");
    }

    private void post(String path, String json) {
        try {
            assertThat(server.postJson(path, json).statusCode()).as("POST %s %s", path, json).isEqualTo(201);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
