package dev.tidings.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.Cookie;
import com.sun.net.httpserver.HttpServer;

import dev.tidings.server.security.TestTokens;
import dev.tidings.server.support.ServerProcess;

/**
 * A page of an application on one origin using Tidings on another, in Chromium:
 * {@code EventSource} with credentials (the token cookie) and a {@code fetch} publish with a
 * bearer token, both through CORS; a page on an origin the server does not list is refused. The
 * application is a plain page server on its own port: same site as Tidings (as
 * {@code app.example.com} and {@code tidings.example.com} are), another origin.
 */
@ExtendWith(BrowserExtension.class)
class CrossOriginIT {

    private static ServerProcess server;
    private static HttpServer pages;
    private static String pageOrigin;
    private static String apiOrigin;

    private final Browser browser;

    CrossOriginIT(Browser browser) {
        this.browser = browser;
    }

    @BeforeAll
    static void startServers() throws IOException {
        pages = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        pages.createContext("/", exchange -> {
            byte[] page = "<!doctype html><title>An application</title>".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, page.length);
            exchange.getResponseBody().write(page);
            exchange.close();
        });
        pages.start();
        pageOrigin = "http://localhost:" + pages.getAddress().getPort();
        int port = ServerProcess.freePort();
        apiOrigin = "http://localhost:" + port;
        List<String> properties = new ArrayList<>(List.of(ServerProcess.trustingTestTokens()));
        properties.add("-Dquarkus.http.cors.origins=" + pageOrigin);
        properties.add("-Dquarkus.http.cors.access-control-allow-credentials=true");
        server = ServerProcess.start(new File("target/cross-origin-it.log"), port, properties.toArray(String[]::new));
    }

    @AfterAll
    static void stopServers() {
        server.close();
        pages.stop(0);
    }

    @Test
    void aPageOnAListedOriginStreamsWithItsCookieAndPublishesWithItsToken() {
        try (BrowserContext context = browser.newContext()) {
            // The cookie of the site, as the application's login would have set it.
            context.addCookies(List.of(new Cookie("tidings_token", TestTokens.subscriber("ann", "private/cors/**"))
                    .setUrl(apiOrigin)));
            Page page = context.newPage();
            page.navigate(pageOrigin + "/");
            Object received = page.evaluate("""
                    ([api, token]) => new Promise((resolve, reject) => {
                      const source = new EventSource(api + '/api/v1/events?topic=private/cors/room',
                          { withCredentials: true });
                      source.onerror = () => reject(new Error('stream failed, readyState ' + source.readyState));
                      source.onopen = () => fetch(api + '/api/v1/topics/private/cors/room/events', {
                        method: 'POST',
                        headers: { 'Content-Type': 'application/json', 'Authorization': 'Bearer ' + token },
                        body: JSON.stringify({ data: { from: 'another origin' } }),
                      }).then(r => { if (r.status !== 201) reject(new Error('publish answered ' + r.status)); });
                      source.onmessage = (e) => { source.close(); resolve(JSON.parse(e.data).data.from); };
                    })""", List.of(apiOrigin, TestTokens.publisher("backend", "private/cors/**")));
            assertThat(received).isEqualTo("another origin");
        }
    }

    @Test
    void aPageOnAnotherOriginIsRefused() {
        try (BrowserContext context = browser.newContext()) {
            Page page = context.newPage();
            // The same application under another host name: not on the list.
            page.navigate("http://127.0.0.1:" + pages.getAddress().getPort() + "/");
            Object outcome = page.evaluate("""
                    (api) => Promise.all([
                      new Promise(resolve => {
                        const source = new EventSource(api + '/api/v1/events?topic=chat/cors');
                        source.onopen = () => { source.close(); resolve('opened'); };
                        source.onerror = () => { source.close(); resolve('refused'); };
                      }),
                      fetch(api + '/api/v1/chat/cors/messages', {
                        method: 'POST', headers: { 'Content-Type': 'application/json' },
                        body: JSON.stringify({ author: 'x', text: 'y' }),
                      }).then(() => 'sent', () => 'refused'),
                    ])""", apiOrigin);
            assertThat(outcome).isEqualTo(List.of("refused", "refused"));
        }
    }
}
