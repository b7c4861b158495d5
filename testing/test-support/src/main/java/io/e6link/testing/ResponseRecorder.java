package io.e6link.testing;

import com.sun.net.httpserver.HttpServer;
import io.e6link.kit.Json;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Stands in for CloudFormation's presigned S3 response URL on loopback: records every PUT (body
 * and headers) and answers with a status the test chooses, or hangs, to exercise the sender.
 */
public final class ResponseRecorder implements AutoCloseable {
    /** One PUT as it arrived. */
    public record Put(String path, String body, Map<String, List<String>> headers) {
        public Map<String, Object> json() {
            return Json.readObject(body);
        }

        public String status() {
            return (String) json().get("Status");
        }

        public String reason() {
            return (String) json().get("Reason");
        }

        public String physicalResourceId() {
            return (String) json().get("PhysicalResourceId");
        }

        @SuppressWarnings("unchecked")
        public Map<String, String> data() {
            return (Map<String, String>) json().get("Data");
        }
    }

    private final HttpServer server;
    private final BlockingQueue<Put> puts = new LinkedBlockingQueue<>();
    private final AtomicInteger sequence = new AtomicInteger();
    private volatile int[] statuses = {200};
    private final AtomicInteger answered = new AtomicInteger();
    private volatile long hangMillis;

    public ResponseRecorder() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", exchange -> {
            try (InputStream body = exchange.getRequestBody()) {
                String text = new String(body.readAllBytes(), StandardCharsets.UTF_8);
                puts.add(new Put(exchange.getRequestURI().getPath(), text, Map.copyOf(exchange.getRequestHeaders())));
            }
            if (hangMillis > 0) {
                sleep(hangMillis);
            }
            int[] plan = statuses;
            int index = Math.min(answered.getAndIncrement(), plan.length - 1);
            exchange.sendResponseHeaders(plan[index], -1);
            exchange.close();
        });
        server.start();
    }

    /** A fresh presigned-looking URL on this recorder (the query string mimics S3's signature). */
    public String newUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/cfn-response/" + sequence.incrementAndGet()
                + "?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Signature=secret-signature";
    }

    /** Answers the n-th PUT with statuses[n] (the last one repeats). */
    public void answerWith(int... statuses) {
        this.statuses = statuses.clone();
        this.answered.set(0);
    }

    public void hangFor(Duration duration) {
        this.hangMillis = duration.toMillis();
    }

    public Put await(Duration timeout) {
        try {
            Put put = puts.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (put == null) {
                throw new AssertionError("no response PUT within " + timeout);
            }
            return put;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Everything received and not yet awaited. */
    public List<Put> drain() {
        java.util.ArrayList<Put> all = new java.util.ArrayList<>();
        puts.drainTo(all);
        return all;
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
