package com.dsqlcdc.testing;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Starts the fakes' JDK HTTP servers: 127.0.0.1, an ephemeral port, a pool of daemon threads (so
 * concurrent clients are served concurrently), and TCP_NODELAY.
 *
 * <p>TCP_NODELAY matters: the JDK server writes a response's headers and body separately, so
 * without it Nagle's algorithm meets the client's delayed ACK and every call takes ~40 ms. The JDK
 * reads {@code sun.net.httpserver.nodelay} once, when the first server of the JVM starts; this
 * class sets it (unless set already) before starting any, so it only helps if no other {@code
 * HttpServer} was started earlier in the same JVM. Tests can pass
 * {@code -Dsun.net.httpserver.nodelay=true} to be sure.
 */
final class FakeHttpServers {

    static {
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    /** A started server and the pool that serves it; {@link #close()} stops both. */
    record Running(HttpServer server, ExecutorService executor) implements AutoCloseable {
        int port() {
            return server.getAddress().getPort();
        }

        @Override
        public void close() {
            server.stop(0);
            executor.shutdownNow();
            try {
                executor.awaitTermination(1, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private FakeHttpServers() {}

    static Running start(String threadNamePrefix, HttpHandler handler) {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        AtomicInteger threads = new AtomicInteger();
        ExecutorService executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, threadNamePrefix + "-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", handler);
        server.start();
        return new Running(server, executor);
    }
}
