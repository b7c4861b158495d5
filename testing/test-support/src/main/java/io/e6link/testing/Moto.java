package io.e6link.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A running moto_server on loopback: its endpoint, and the reset that isolates tests. */
public final class Moto {
    private final URI endpoint;
    private final HttpClient http = HttpClient.newHttpClient();

    Moto(URI endpoint) {
        this.endpoint = endpoint;
    }

    public URI endpoint() {
        return endpoint;
    }

    public String endpointUrl() {
        return endpoint.toString();
    }

    /** Drops every emulated resource (moto's own admin API). */
    public void reset() {
        try {
            HttpRequest request = HttpRequest.newBuilder(endpoint.resolve("/moto-api/reset"))
                    .timeout(Duration.ofSeconds(30))
                    .POST(HttpRequest.BodyPublishers.noBody()).build();
            int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            if (status != 200) {
                throw new IllegalStateException("moto reset answered HTTP " + status);
            }
        } catch (IOException e) {
            throw new IllegalStateException("moto reset failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
