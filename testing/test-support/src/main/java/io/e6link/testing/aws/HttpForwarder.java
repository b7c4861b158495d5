package io.e6link.testing.aws;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Locale;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Forwards one request received by a loopback front door to the next hop (moto, or the strict door)
 * unchanged, and copies the answer back, optionally rewriting a 200 body. Hop-by-hop headers are
 * dropped, as a proxy must.
 */
public final class HttpForwarder {
    private static final Set<String> HOP_HEADERS = Set.of("host", "content-length", "connection", "expect", "upgrade", "transfer-encoding");
    private final URI target;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public HttpForwarder(URI target) {
        this.target = target;
    }

    /**
     * @param rewriteOk applied to the body of a 200 answer (identity for none)
     * @throws IOException          when the next hop cannot be reached or the answer not written
     * @throws InterruptedException when interrupted while waiting for the next hop
     */
    public void forward(HttpExchange exchange, byte[] body, UnaryOperator<byte[]> rewriteOk) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(target.resolve(exchange.getRequestURI().toString()))
                .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofByteArray(body));
        exchange.getRequestHeaders().forEach((name, values) -> {
            if (!HOP_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                values.forEach(value -> request.header(name, value));
            }
        });
        HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        response.headers().map().forEach((name, values) -> {
            if (!HOP_HEADERS.contains(name.toLowerCase(Locale.ROOT)) && !name.startsWith(":")) {
                exchange.getResponseHeaders().put(name, new ArrayList<>(values));
            }
        });
        byte[] bytes = response.statusCode() == 200 ? rewriteOk.apply(response.body()) : response.body();
        boolean noBody = bytes.length == 0 || exchange.getRequestMethod().equalsIgnoreCase("HEAD");
        exchange.sendResponseHeaders(response.statusCode(), noBody ? -1 : bytes.length);
        if (!noBody) {
            exchange.getResponseBody().write(bytes);
        }
    }
}
