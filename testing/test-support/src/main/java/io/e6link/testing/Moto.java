package io.e6link.testing;

import io.e6link.testing.aws.StrictAws;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * A running moto_server on loopback behind the emulated world's strict front door ({@link StrictAws}):
 * {@link #endpoint()} is the front door, which refuses what AWS refuses and records the IAM
 * authorization requests of every call; the reset isolates tests.
 */
public final class Moto implements AutoCloseable {
    private final URI endpoint;
    private final StrictAws strict;
    private final Runnable stop;
    private final HttpClient http = HttpClient.newHttpClient();

    Moto(URI motoEndpoint, StrictAws strict, Runnable stop) {
        this.endpoint = motoEndpoint;
        this.strict = strict;
        this.stop = stop;
    }

    /** Where AWS clients point: the strict front door. */
    public URI endpoint() {
        return strict.endpoint();
    }

    /** The strict front door, for its recorded authorization requests and the models it consults. */
    public StrictAws strict() {
        return strict;
    }

    public String endpointUrl() {
        return endpoint().toString();
    }

    /**
     * Stops this world's moto_server and front door. For a world from {@link MotoServer#startIndependent()};
     * the JVM's shared world ({@link MotoServer#start()}) is shared by every test and is not stopped by its users.
     *
     * @throws IllegalStateException when called on the shared world
     */
    @Override
    public void close() {
        if (stop == null) {
            throw new IllegalStateException("the JVM's shared moto_server stops when the JVM exits, not when one user is done");
        }
        stop.run();
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
            strict.clear();
        } catch (IOException e) {
            throw new IllegalStateException("moto reset failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
