package io.e6link.testing;

import io.e6link.testing.aws.StrictAws;
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
import java.util.Map;

/**
 * The emulated world of one JVM: {@code moto_server} on a free 127.0.0.1 port behind the strict front
 * door ({@link StrictAws}), started on first use and stopped when the JVM exits. Used by the local
 * deploy and the benchmark directly, and by the tests through {@link MotoExtension}; it needs no JUnit.
 * A test that runs stack operations side by side (FaultMatrixIT) asks for more, independent worlds with
 * {@link #startIndependent()}.
 *
 * <p>moto_server runs without the caller's AWS configuration: every {@code AWS_*} variable is removed
 * from its environment and its config and credentials files point at nothing, so a user's
 * {@code AWS_PROFILE} (moto's botocore would fail every request with ProfileNotFound), keys or
 * settings never reach the emulated world.
 */
public final class MotoServer {
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);
    private static Moto shared;
    private static String unavailable;

    private MotoServer() {
    }

    /**
     * The shared emulator, started on first use; null when moto_server cannot be started (see {@link #unavailableReason()}).
     *
     * @throws IllegalStateException inside the pure test tier ({@link TestTiers#inPureTier()}), which starts no emulator
     */
    public static synchronized Moto start() {
        if (TestTiers.inPureTier()) {
            throw new IllegalStateException("The pure test tier (./scripts/test --fast) starts no emulator: tag the test class @Tag(TestTiers.EMULATED) or name it *IT.");
        }
        if (shared != null || unavailable != null) {
            return shared;
        }
        String executable = findExecutable();
        if (executable == null) {
            unavailable = "moto_server is not on PATH.";
            return null;
        }
        try {
            shared = launch(executable, false);
            return shared;
        } catch (IOException | IllegalStateException e) {
            unavailable = "moto_server could not be started: " + e.getMessage();
            return null;
        }
    }

    /**
     * Another emulated world, independent of the shared one: its own {@code moto_server} process on a free
     * 127.0.0.1 port behind its own strict front door, so a test can run whole-stack operations side by side
     * without their resets and recorded calls meeting. The caller stops it with {@link Moto#close()} (the
     * JVM's exit stops it too).
     *
     * @return the running world, its state empty
     * @throws IllegalStateException inside the pure test tier, or when moto_server is not on PATH or does not start
     */
    public static Moto startIndependent() {
        if (TestTiers.inPureTier()) {
            throw new IllegalStateException("The pure test tier (./scripts/test --fast) starts no emulator: tag the test class @Tag(TestTiers.EMULATED) or name it *IT.");
        }
        String executable = findExecutable();
        if (executable == null) {
            throw new IllegalStateException("moto_server is not on PATH.");
        }
        try {
            return launch(executable, true);
        } catch (IOException e) {
            throw new IllegalStateException("moto_server could not be started: " + e.getMessage(), e);
        }
    }

    /**
     * Starts one moto_server and its front door, stopped at JVM exit or, when {@code closeable}, by the world's close.
     * Launches are serialised from choosing the port until moto answers on it: two worlds started side by side
     * (the fault matrix's workers) could otherwise be handed the same free port, and the second's readiness check
     * would be answered by the first's server.
     */
    private static Moto launch(String executable, boolean closeable) throws IOException {
        synchronized (LAUNCH) {
            return launchAlone(executable, closeable);
        }
    }

    private static final Object LAUNCH = new Object();

    private static Moto launchAlone(String executable, boolean closeable) throws IOException {
        int port = freePort();
        Path logFile = Files.createTempFile("moto-server", ".log");
        ProcessBuilder builder = new ProcessBuilder(executable, "-H", "127.0.0.1", "-p", String.valueOf(port))
                .redirectErrorStream(true)
                .redirectOutput(logFile.toFile());
        withoutAwsConfiguration(builder.environment());
        Process process = builder.start();
        Runnable stop = () -> {
            process.descendants().forEach(ProcessHandle::destroy);
            process.destroy();
        };
        Thread hook = new Thread(stop);
        Runtime.getRuntime().addShutdownHook(hook);
        URI endpoint = URI.create("http://127.0.0.1:" + port);
        StrictAws strict;
        try {
            awaitReady(endpoint, process, logFile);
            if (!process.isAlive()) {
                throw new IllegalStateException("moto_server on port " + port + " exited right after answering; log: " + logFile);
            }
            strict = StrictAws.start(endpoint, MotoClients.ACCOUNT_ID);
        } catch (IOException | RuntimeException e) {
            stop.run();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs anyway
            }
            throw e;
        }
        if (!closeable) {
            return new Moto(endpoint, strict, null);
        }
        return new Moto(endpoint, strict, () -> {
            strict.close();
            stop.run();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs anyway
            }
        });
    }

    /** Why {@link #start()} returned null; null while it has not failed. */
    public static synchronized String unavailableReason() {
        return unavailable;
    }

    /**
     * Removes the caller's AWS configuration from a child process's environment: every {@code AWS_*}
     * variable goes, and the config and credentials files point at a path that does not exist.
     */
    static void withoutAwsConfiguration(Map<String, String> environment) {
        environment.keySet().removeIf(name -> name.startsWith("AWS_"));
        String nothing = Path.of(System.getProperty("java.io.tmpdir"), "e6link-no-aws-configuration", "none").toString();
        environment.put("AWS_CONFIG_FILE", nothing);
        environment.put("AWS_SHARED_CREDENTIALS_FILE", nothing);
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
