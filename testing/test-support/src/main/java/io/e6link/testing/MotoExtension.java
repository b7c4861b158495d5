package io.e6link.testing;

import java.io.File;
import java.io.IOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Starts one {@code moto_server} per test JVM on a free 127.0.0.1 port, resets its state before
 * every test, and stops it when the JVM exits. Inject {@link Moto} into test methods or
 * constructors. When moto_server is not installed the tests are skipped with a loud reason — except
 * under {@code CI=true}, where a missing emulator fails the build instead of hiding the tests.
 */
public final class MotoExtension implements ExecutionCondition, BeforeEachCallback, ParameterResolver {
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);
    private static Moto shared;
    private static String unavailable;

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        Moto moto = start();
        if (moto != null) {
            return ConditionEvaluationResult.enabled("moto_server running at " + moto.endpoint());
        }
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new IllegalStateException("CI=true but " + unavailable + " Install moto[server] (pip install 'moto[server]') so the AWS tests run.");
        }
        System.err.println("SKIPPING AWS TESTS: " + unavailable);
        return ConditionEvaluationResult.disabled("SKIPPED LOUDLY: " + unavailable);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (shared != null) {
            shared.reset();
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == Moto.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return start();
    }

    /** The shared emulator, started on first use; null when moto_server cannot be started. */
    public static synchronized Moto start() {
        if (shared != null || unavailable != null) {
            return shared;
        }
        String executable = findExecutable();
        if (executable == null) {
            unavailable = "moto_server is not on PATH.";
            return null;
        }
        try {
            int port = freePort();
            Path logFile = Files.createTempFile("moto-server", ".log");
            Process process = new ProcessBuilder(executable, "-H", "127.0.0.1", "-p", String.valueOf(port))
                    .redirectErrorStream(true)
                    .redirectOutput(logFile.toFile())
                    .start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                process.destroy();
                process.descendants().forEach(ProcessHandle::destroy);
            }));
            URI endpoint = URI.create("http://127.0.0.1:" + port);
            awaitReady(endpoint, process, logFile);
            shared = new Moto(endpoint, io.e6link.testing.aws.StrictAws.start(endpoint, MotoClients.ACCOUNT_ID));
            return shared;
        } catch (IOException | IllegalStateException e) {
            unavailable = "moto_server could not be started: " + e.getMessage();
            return null;
        }
    }

    private static void awaitReady(URI endpoint, Process process, Path logFile) throws IOException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        long until = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
        while (System.nanoTime() < until) {
            if (!process.isAlive()) {
                throw new IllegalStateException("moto_server exited with " + process.exitValue() + ": " + Files.readString(logFile));
            }
            try {
                HttpRequest ping = HttpRequest.newBuilder(endpoint.resolve("/moto-api/data.json")).timeout(Duration.ofSeconds(2)).GET().build();
                if (http.send(ping, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (ConnectException | java.net.http.HttpTimeoutException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        process.destroy();
        throw new IllegalStateException("moto_server did not answer within " + STARTUP_TIMEOUT.toSeconds() + " s");
    }

    private static String findExecutable() {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(File.pathSeparator)) {
            File candidate = new File(dir, "moto_server");
            if (candidate.canExecute()) {
                return candidate.getAbsolutePath();
            }
        }
        return null;
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
