package dev.tidings.client.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A loopback TCP proxy that a test can use to break connections: cut them all now, cut them after
 * N more bytes towards the client (mid-frame), or black-hole them (stop forwarding while keeping
 * the sockets open). It only listens on 127.0.0.1 and closes itself after its lifetime.
 */
public final class TcpProxy implements AutoCloseable {

    private final ServerSocket listener;
    private final long deadline;
    private final Set<Link> links = ConcurrentHashMap.newKeySet();
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicInteger cuts = new AtomicInteger();
    private volatile int targetPort;
    private volatile boolean closed;

    private TcpProxy(int targetPort, Duration lifetime) throws IOException {
        this.targetPort = targetPort;
        this.deadline = System.nanoTime() + lifetime.toNanos();
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.listener.setSoTimeout(200);
        Thread acceptor = new Thread(this::acceptLoop, "tcp-proxy-accept-" + listener.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** A proxy to {@code 127.0.0.1:targetPort} that stops by itself after {@code lifetime}. */
    public static TcpProxy start(int targetPort, Duration lifetime) throws IOException {
        return new TcpProxy(targetPort, lifetime);
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + listener.getLocalPort());
    }

    /** New connections go to another port; existing ones are left alone. */
    public void retarget(int port) {
        targetPort = port;
    }

    /** Closes every open connection now. */
    public void cutAll() {
        for (Link link : new ArrayList<>(links)) {
            link.close();
        }
        cuts.incrementAndGet();
    }

    /** Each open connection is cut once it has forwarded {@code bytes} more bytes to the client. */
    public void cutAfter(long bytes) {
        for (Link link : links) {
            link.cutAfter.set(bytes);
        }
    }

    /** Open connections stop forwarding in both directions; their sockets stay open. New ones work. */
    public void blackHole() {
        for (Link link : links) {
            link.blackHoled = true;
        }
    }

    /** Connections whose client has not closed them yet. */
    public int openConnections() {
        return links.size();
    }

    public int accepted() {
        return accepted.get();
    }

    public int cuts() {
        return cuts.get();
    }

    @Override
    public void close() {
        closed = true;
        try {
            listener.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        for (Link link : new ArrayList<>(links)) {
            link.close();
        }
    }

    private void acceptLoop() {
        while (!closed) {
            if (System.nanoTime() > deadline) {
                close();
                return;
            }
            Socket client;
            try {
                client = listener.accept();
            } catch (SocketTimeoutException e) {
                continue;
            } catch (IOException e) {
                return;
            }
            accepted.incrementAndGet();
            Link link = new Link(client);
            links.add(link);
            link.start(targetPort);
        }
    }

    private final class Link {
        final Socket client;
        final Socket upstream = new Socket();
        final AtomicLong cutAfter = new AtomicLong(-1);
        volatile boolean blackHoled;
        private final AtomicInteger closedOnce = new AtomicInteger();

        Link(Socket client) {
            this.client = client;
        }

        void start(int port) {
            Thread thread = new Thread(() -> {
                try {
                    upstream.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2000);
                } catch (IOException e) {
                    close();
                    return;
                }
                Thread down = new Thread(() -> pump(upstream, client, true), "tcp-proxy-down");
                down.setDaemon(true);
                down.start();
                pump(client, upstream, false);
            }, "tcp-proxy-up");
            thread.setDaemon(true);
            thread.start();
        }

        private void pump(Socket from, Socket to, boolean towardsClient) {
            byte[] buffer = new byte[8192];
            try {
                InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream();
                while (true) {
                    int read = in.read(buffer);
                    if (read < 0) {
                        break;
                    }
                    if (blackHoled) {
                        continue; // swallowed: the other side hears nothing, and nothing is closed
                    }
                    int forward = read;
                    long budget = towardsClient ? cutAfter.get() : -1;
                    if (budget >= 0 && budget < read) {
                        forward = (int) budget;
                    }
                    out.write(buffer, 0, forward);
                    out.flush();
                    if (budget >= 0) {
                        if (budget <= read) {
                            cuts.incrementAndGet();
                            break;
                        }
                        cutAfter.addAndGet(-read);
                    }
                }
            } catch (IOException e) {
                // a side went away
            }
            close();
        }

        void close() {
            if (closedOnce.getAndIncrement() > 0) {
                return;
            }
            links.remove(this);
            closeQuietly(client);
            closeQuietly(upstream);
        }

        private void closeQuietly(Socket socket) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // already closed
            }
        }
    }

    /** For diagnostics in assertion messages. */
    @Override
    public String toString() {
        List<String> state = new ArrayList<>();
        state.add("accepted=" + accepted.get());
        state.add("open=" + links.size());
        state.add("cuts=" + cuts.get());
        return "TcpProxy" + state;
    }
}
