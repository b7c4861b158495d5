package io.e6link.kit;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The one response sender paces its attempts on the kit's {@link Polling}: a local HTTP server stands in for
 * the presigned S3 URL and answers with scripted statuses; the polling's clock and pause are injected, so the
 * pauses are recorded instead of slept.
 */
class ResponseSenderTest {
    private final AtomicLong now = new AtomicLong(1_000_000);
    private final List<Duration> pauses = new ArrayList<>();
    private final Polling polling = new Polling(ResponseSender.BACKOFF, now::get, (deadline, duration) -> {
        pauses.add(duration);
        now.addAndGet(duration.toMillis());
    });
    private final ByteArrayOutputStream logs = new ByteArrayOutputStream();
    private final ResponseSender sender = new ResponseSender(new JsonLog(new PrintStream(logs, true, StandardCharsets.UTF_8)), polling);
    private final Deque<Integer> answers = new ArrayDeque<>();
    private final List<String> bodies = new ArrayList<>();
    private HttpServer server;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            bodies.add(exchange.getRequestHeaders().getFirst("Content-Type") + "|" + new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            Integer status = answers.isEmpty() ? 200 : answers.poll();
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/bucket/key?X-Amz-Signature=abc";
    }

    @Test
    void serverErrorsAreRetriedWithTheKitsBackoffUntilAccepted() {
        answers.addAll(List.of(500, 503, 429));

        boolean delivered = sender.send(url(), "{\"Status\":\"SUCCESS\"}", Deadline.after(Duration.ofSeconds(60)));

        assertThat(delivered).isTrue();
        assertThat(bodies).hasSize(4).allMatch(body -> body.equals("|{\"Status\":\"SUCCESS\"}"));
        assertThat(pauses).containsExactly(Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofMillis(1000));
    }

    @Test
    void aRefusalIsFinalAndNotRetried() {
        answers.add(403);

        assertThat(sender.send(url(), "{}", Deadline.after(Duration.ofSeconds(60)))).isFalse();
        assertThat(bodies).hasSize(1);
        assertThat(pauses).isEmpty();
        assertThat(logs.toString(StandardCharsets.UTF_8)).contains("refused the response; not retrying");
    }

    @Test
    void fiveFailedAttemptsAreTheEnd() {
        answers.addAll(List.of(503, 503, 503, 503, 503, 503));

        assertThat(sender.send(url(), "{}", Deadline.after(Duration.ofSeconds(60)))).isFalse();
        assertThat(bodies).hasSize(5);
        assertThat(pauses).containsExactly(Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofMillis(1000), Duration.ofMillis(2000));
        assertThat(logs.toString(StandardCharsets.UTF_8)).contains("Giving up sending the response to CloudFormation").contains("\"attempts\":5");
    }
}
