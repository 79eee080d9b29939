package dev.tidings.server.web;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.google.gson.JsonObject;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.CDPSession;
import com.microsoft.playwright.Page;

import dev.tidings.server.security.TestTokens;
import dev.tidings.server.support.ServerProcess;

/**
 * Tabs of one browser share one stream: in one Chromium context (one browser profile) over
 * HTTP/1.1, where Chromium allows six connections per server, every Tidings tab's stream rides on
 * one EventSource held by a leading tab, counted on the server by {@code tidings_streams_open}.
 */
@ExtendWith(BrowserExtension.class)
class SharedStreamIT {

    /** Generous: a takeover is a lock hand-over and a new connection; the figure is printed. */
    private static final Duration TAKEOVER = Duration.ofSeconds(10);
    private static final String BACKEND = TestTokens.publisher("backend", "**");

    private final ServerProcess server;
    private final Browser browser;
    private BrowserContext context;
    private final List<String> errors = new ArrayList<>();

    SharedStreamIT(ServerProcess server, Browser browser) {
        this.server = server;
        this.browser = browser;
    }

    @BeforeEach
    void oneBrowser() {
        awaitOpenStreams(0); // what earlier tests opened is closed, so the counts below are this test's
        context = browser.newContext(new Browser.NewContextOptions().setBaseURL(server.uri("").toString())
                .setViewportSize(1280, 860));
    }

    @AfterEach
    void closeBrowser() {
        context.close();
        assertThat(errors).as("page errors").isEmpty();
    }

    @Test
    void tenTabsOfTheDashboardAndChatHoldOneStreamAndEachGetsItsOwnEvents() {
        String room = "shared-ten";
        List<Page> dashboards = new ArrayList<>();
        List<Page> chats = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            dashboards.add(open("/"));
            chats.add(open("/chat.html?room=" + room + "&name=tab" + i)); // tabs 7 to 10 connect too
        }
        awaitOpenStreams(1);
        System.out.printf("[shared stream] 10 tabs (5 dashboards, 5 chats) hold %d stream(s) on the server%n",
                openStreams());
        // One browser is one member of the room, however many of its tabs show it.
        chats.forEach(chat -> assertThat(chat.locator("#members")).hasText("1 member online"));

        for (int i = 1; i <= 5; i++) {
            chat(room, "m" + i);
            notify("shared-ten", "n" + i);
        }
        for (Page chat : chats) {
            assertThat(chat.locator("#messages li .text")).hasText(new String[] {"m1", "m2", "m3", "m4", "m5"});
        }
        for (Page dashboard : dashboards) {
            assertThat(dashboard.locator("#events li.type-message")).hasCount(5);
            assertThat(dashboard.locator("#events li.type-notification")).hasCount(5);
        }
        assertThat(openStreams()).isEqualTo(1);
    }

    @Test
    void whenTheLeaderTabClosesAnotherTakesOverAndMissesNothingPublishedMeanwhile() {
        String room = "shared-takeover";
        Page leader = open("/"); // the first tab takes the lock
        List<Page> dashboards = new ArrayList<>();
        List<Page> chats = new ArrayList<>();
        for (int i = 0; i < 9; i++) { // ten tabs in all
            if (i % 2 == 0) {
                dashboards.add(open("/"));
            } else {
                chats.add(open("/chat.html?room=" + room + "&name=tab" + i));
            }
        }
        awaitOpenStreams(1);

        IntStream.rangeClosed(1, 15).forEach(i -> chat(room, "m" + i));
        long closing = System.nanoTime();
        leader.close();
        IntStream.rangeClosed(16, 30).forEach(i -> chat(room, "m" + i)); // while no tab leads
        String[] all = IntStream.rangeClosed(1, 30).mapToObj(i -> "m" + i).toArray(String[]::new);
        for (Page chat : chats) {
            assertThat(chat.locator("#messages li .text")).hasText(all);
        }
        long caughtUp = System.nanoTime();
        awaitOpenStreams(1);
        System.out.printf("[shared stream] leader of 10 tabs closed: the other 9 had every event %d ms later%n",
                Duration.ofNanos(caughtUp - closing).toMillis());

        for (Page dashboard : dashboards) {
            assertThat(dashboard.locator("#events li.type-message")).hasCount(30);
            assertThat(dashboard.locator("#status")).hasAttribute("data-status", "open");
        }
        chat(room, "after");
        chats.forEach(chat -> assertThat(chat.locator("#messages li .text").last()).hasText("after"));
    }

    @Test
    void tabsWithDifferentTopicsShareTheStreamAndSeeOnlyTheirOwn() {
        Page ops = open("/notifications.html?channel=shared-ops");
        Page billing = open("/notifications.html?channel=shared-billing");
        Page chat = open("/chat.html?room=shared-topics&name=ann");
        Page dashboard = open("/");
        awaitOpenStreams(1);

        notify("shared-ops", "Disk almost full");
        notify("shared-billing", "Card expiring");
        chat("shared-topics", "hello");
        publish("metrics/shared", "{\"type\":\"message\",\"data\":{\"load\":0.5}}");

        assertThat(dashboard.locator("#events li.type-notification")).hasCount(2);
        assertThat(dashboard.locator("#events li.type-message")).hasCount(2);
        assertThat(ops.locator("#notifications li .n-title")).hasText(new String[] {"Disk almost full"});
        assertThat(billing.locator("#notifications li .n-title")).hasText(new String[] {"Card expiring"});
        assertThat(chat.locator("#messages li .text")).hasText(new String[] {"hello"});
        assertThat(openStreams()).isEqualTo(1);
    }

    @Test
    void sharedFalseOpensItsOwnStreamAndTabsWithAnotherTokenDoNotShare() {
        Page dashboard = open("/");
        awaitOpenStreams(1);
        Object own = dashboard.evaluate("async () => {"
                + " const { connect } = await import('/tidings.js');"
                + " window.own = [];"
                + " const s = connect({ url: '/api/v1/events', topics: ['shared/own'], shared: false,"
                + "   onEvent: (e) => window.own.push(e.data.n) });"
                + " return s.shared; }");
        assertThat(own).isEqualTo(false);
        awaitOpenStreams(2);

        String ann = TestTokens.subscriber("ann", "shared/**");
        String bob = TestTokens.subscriber("bob", "shared/**");
        List<Page> annTabs = List.of(tokenTab(ann), tokenTab(ann));
        Page bobTab = tokenTab(bob);
        awaitOpenStreams(4); // the dashboard's, the opted-out one, ann's two tabs together, bob's

        publish("shared/own", "{\"data\":{\"n\":1}}");
        dashboard.waitForFunction("() => window.own.length === 1 && window.own[0] === 1");
        for (Page tab : List.of(annTabs.get(0), annTabs.get(1), bobTab)) {
            tab.waitForFunction("() => window.got.length === 1 && window.got[0] === 1");
        }
        assertThat(dashboard.locator("#events li", new Page.LocatorOptions().setHasText("shared/own"))).hasCount(1);
    }

    @Test
    void aReloadOfTheLeaderTabDuringABurstLosesNothing() {
        String room = "shared-reload";
        List<Page> chats = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            chats.add(open("/chat.html?room=" + room + "&name=r" + i));
        }
        awaitOpenStreams(1);
        IntStream.rangeClosed(1, 15).forEach(i -> chat(room, "m" + i));
        chats.get(0).reload(); // the leader
        IntStream.rangeClosed(16, 30).forEach(i -> chat(room, "m" + i));
        String[] all = IntStream.rangeClosed(1, 30).mapToObj(i -> "m" + i).toArray(String[]::new);
        for (Page chat : chats) {
            assertThat(chat.locator("#messages li .text")).hasText(all);
        }
        awaitOpenStreams(1);
    }

    @Test
    void aFrozenLeaderTabHandsOverAndCatchesUpWhenItResumes() {
        Page leader = open("/");
        Page other = open("/");
        awaitOpenStreams(1);
        CDPSession cdp = context.newCDPSession(leader);
        lifecycle(cdp, "frozen");

        publish("shared/frozen", "{\"data\":{\"n\":1}}");
        assertThat(other.locator("#events li", new Page.LocatorOptions().setHasText("shared/frozen"))).hasCount(1);
        awaitOpenStreams(1);

        lifecycle(cdp, "active");
        assertThat(leader.locator("#events li", new Page.LocatorOptions().setHasText("shared/frozen"))).hasCount(1);
        publish("shared/frozen", "{\"data\":{\"n\":2}}");
        for (Page page : List.of(leader, other)) {
            assertThat(page.locator("#events li", new Page.LocatorOptions().setHasText("shared/frozen"))).hasCount(2);
        }
        awaitOpenStreams(1);
    }

    private Page open(String path) {
        Page page = context.newPage();
        page.onPageError(error -> errors.add(path + ": " + error));
        page.navigate(path);
        assertThat(page.locator("#status")).hasAttribute("data-status", "open");
        return page;
    }

    /**
     * A dashboard tab (on the anonymous dashboards' stream) whose script also streams shared/** with
     * a token in the query, recording event data in window.got.
     */
    private Page tokenTab(String token) {
        Page page = open("/");
        Object shared = page.evaluate("async (token) => {"
                + " const { connect } = await import('/tidings.js');"
                + " window.got = [];"
                + " const s = connect({ url: '/api/v1/events', topics: ['shared/**'], token, tokenIn: 'query',"
                + "   onEvent: (e) => window.got.push(e.data.n) });"
                + " return s.shared; }", token);
        assertThat(shared).isEqualTo(true);
        return page;
    }

    private static void lifecycle(CDPSession cdp, String state) {
        JsonObject args = new JsonObject();
        args.addProperty("state", state);
        cdp.send("Page.setWebLifecycleState", args);
    }

    private void awaitOpenStreams(int expected) {
        await().atMost(TAKEOVER).untilAsserted(() -> assertThat(openStreams()).as("open streams").isEqualTo(expected));
    }

    /** {@code tidings_streams_open} summed over the stream families. */
    private int openStreams() {
        try {
            return (int) server.get("/q/metrics").body().lines()
                    .filter(line -> line.startsWith("tidings_streams_open{"))
                    .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                    .sum();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void chat(String room, String text) {
        post("/api/v1/chat/" + room + "/messages", "{\"author\":\"api\",\"text\":\"" + text + "\"}", null);
    }

    private void notify(String channel, String title) {
        post("/api/v1/notifications", "{\"channel\":\"" + channel + "\",\"level\":\"info\",\"title\":\"" + title + "\"}",
                null);
    }

    private void publish(String topic, String json) {
        post("/api/v1/topics/" + topic + "/events", json, BACKEND);
    }

    private void post(String path, String json, String token) {
        try {
            assertThat((token == null ? server.postJson(path, json) : server.postJson(path, json, token)).statusCode())
                    .as("POST %s %s", path, json).isEqualTo(201);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
