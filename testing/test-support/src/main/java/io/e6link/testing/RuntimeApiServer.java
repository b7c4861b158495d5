package io.e6link.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The Lambda Runtime API (2018-06-01) on loopback, as the Lambda service serves it to a runtime:
 * {@code GET /runtime/invocation/next} hands out queued events with the documented headers, and
 * {@code POST .../response}, {@code .../error} and {@code /runtime/init/error} complete them.
 *
 * <p>A hand-written HTTP/1.1 server on purpose: the runtime client's native (C++) HTTP layer looks
 * headers up case-sensitively, and the JDK's HttpServer rewrites header names to
 * "Lambda-runtime-aws-request-id", which crashes the client in libc.
 */
final class RuntimeApiServer implements AutoCloseable {
    private static final String BASE = "/2018-06-01/runtime";

    /** What the runtime posted back for one invocation. */
    record Result(String requestId, boolean error, String body) {
    }

    private record Pending(String requestId, String payload, long deadlineMillis) {
    }

    private record Request(String method, String path, String body) {
    }

    private final ServerSocket server;
    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Map<String, CompletableFuture<Result>> results = new ConcurrentHashMap<>();
    private final CompletableFuture<String> initError = new CompletableFuture<>();
    private final String functionArn;
    private volatile boolean closed;

    RuntimeApiServer(String functionArn) throws IOException {
        this.functionArn = functionArn;
        this.server = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::acceptLoop, "runtime-api-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    String address() {
        return "127.0.0.1:" + server.getLocalPort();
    }

    CompletableFuture<Result> enqueue(String payload, Duration timeout) {
        String requestId = UUID.randomUUID().toString();
        CompletableFuture<Result> result = new CompletableFuture<>();
        results.put(requestId, result);
        queue.add(new Pending(requestId, payload, System.currentTimeMillis() + timeout.toMillis()));
        return result;
    }

    CompletableFuture<String> initError() {
        return initError;
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket socket = server.accept();
                Thread connection = new Thread(() -> serve(socket), "runtime-api-connection");
                connection.setDaemon(true);
                connection.start();
            } catch (IOException e) {
                if (!closed) {
                    System.err.println("runtime API accept failed: " + e);
                }
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try (socket; InputStream in = new BufferedInputStream(socket.getInputStream()); OutputStream out = socket.getOutputStream()) {
            for (Request request = read(in); request != null && !closed; request = read(in)) {
                route(request, out);
            }
        } catch (IOException e) {
            // the runtime went away; nothing to answer
        }
    }

    private void route(Request request, OutputStream out) throws IOException {
        String path = request.path();
        if (path.equals(BASE + "/invocation/next") && request.method().equals("GET")) {
            Pending pending;
            try {
                pending = queue.poll(10, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (pending == null) {
                throw new IOException("no invocation within 10 minutes");
            }
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("Lambda-Runtime-Aws-Request-Id", pending.requestId());
            headers.put("Lambda-Runtime-Deadline-Ms", String.valueOf(pending.deadlineMillis()));
            headers.put("Lambda-Runtime-Invoked-Function-Arn", functionArn);
            headers.put("Lambda-Runtime-Trace-Id", "Root=1-" + Long.toHexString(System.currentTimeMillis() / 1000)
                    + "-" + pending.requestId().replace("-", "").substring(0, 24) + ";Sampled=0");
            reply(out, 200, headers, pending.payload());
        } else if (path.equals(BASE + "/init/error")) {
            initError.complete(request.body());
            reply(out, 202, Map.of(), "{\"status\":\"OK\"}");
        } else if (path.startsWith(BASE + "/invocation/") && (path.endsWith("/response") || path.endsWith("/error"))) {
            String[] parts = path.split("/");
            String requestId = parts[parts.length - 2];
            CompletableFuture<Result> result = results.remove(requestId);
            if (result != null) {
                result.complete(new Result(requestId, path.endsWith("/error"), request.body()));
            }
            reply(out, 202, Map.of(), "{\"status\":\"OK\"}");
        } else {
            reply(out, 404, Map.of(), "{\"errorMessage\":\"unknown path\"}");
        }
    }

    private static Request read(InputStream in) throws IOException {
        String requestLine = line(in);
        if (requestLine == null || requestLine.isEmpty()) {
            return null;
        }
        String[] words = requestLine.split(" ");
        int contentLength = 0;
        boolean chunked = false;
        for (String header = line(in); header != null && !header.isEmpty(); header = line(in)) {
            int colon = header.indexOf(':');
            String name = header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = header.substring(colon + 1).trim();
            if (name.equals("content-length")) {
                contentLength = Integer.parseInt(value);
            } else if (name.equals("transfer-encoding") && value.equalsIgnoreCase("chunked")) {
                chunked = true;
            }
        }
        byte[] body = chunked ? readChunked(in) : in.readNBytes(contentLength);
        return new Request(words[0], words[1].split("\\?")[0], new String(body, StandardCharsets.UTF_8));
    }

    private static byte[] readChunked(InputStream in) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String sizeLine = line(in);
            int size = Integer.parseInt(sizeLine.split(";")[0].trim(), 16);
            if (size == 0) {
                line(in);
                return body.toByteArray();
            }
            body.write(in.readNBytes(size));
            line(in);
        }
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\n') {
                String text = bytes.toString(StandardCharsets.ISO_8859_1);
                return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
            }
            bytes.write(c);
        }
        return bytes.size() == 0 ? null : bytes.toString(StandardCharsets.ISO_8859_1);
    }

    private static void reply(OutputStream out, int status, Map<String, String> headers, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder("HTTP/1.1 ").append(status).append(status == 200 ? " OK" : status == 202 ? " Accepted" : " Not Found").append("\r\n");
        headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        head.append("Content-Type: application/json\r\n");
        head.append("Content-Length: ").append(bytes.length).append("\r\n\r\n");
        out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.write(bytes);
        out.flush();
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException e) {
            // closing anyway
        }
    }
}
