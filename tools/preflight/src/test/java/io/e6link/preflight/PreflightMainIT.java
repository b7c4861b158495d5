package io.e6link.preflight;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command as scripts/preflight runs it: a separate JVM on the module's jar and runtime classpath, its exit status,
 * the report on stdout in UTF-8, login problems on stderr. --local starts its own moto_server.
 */
class PreflightMainIT {
    @TempDir
    Path home;

    private record Run(int exitCode, String stdout, String stderr, long millis) {
    }

    private Run run(Map<String, String> env, String... args) throws IOException, InterruptedException {
        // Exactly what scripts/preflight runs: the module's jar and its runtime classpath (no test libraries).
        String classpath = Path.of("target", "preflight.jar").toAbsolutePath() + java.io.File.pathSeparator
                + Files.readString(Path.of("target", "classpath.txt")).strip();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classpath, Preflight.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().keySet().removeIf(name -> name.startsWith("AWS_"));
        builder.environment().put("HOME", home.toString());
        builder.environment().putAll(env);
        Path out = Files.createTempFile(home, "out", ".txt");
        Path err = Files.createTempFile(home, "err", ".txt");
        long started = System.nanoTime();
        Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("preflight finished").isTrue();
        long millis = (System.nanoTime() - started) / 1_000_000;
        return new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8), millis);
    }

    @Test
    void localRunPrintsTheReportAndExitsZero() throws Exception {
        // A user's AWS_PROFILE (here one that does not exist) must not reach the emulated world.
        Run run = run(Map.of("AWS_PROFILE", "corp-sso"), "--local");

        assertThat(run.exitCode()).as(run.stdout() + run.stderr()).isZero();
        assertThat(run.stdout()).contains("  ✓ EKS cluster 'analytics' is ACTIVE in us-east-1.").contains("Result: ✓ no blockers");
        System.out.println("preflight --local as a process: " + run.millis() + " ms");
    }

    @Test
    void blockersExitOneAndTheJsonSaysWhich() throws Exception {
        Run run = run(Map.of(), "--local", "--cluster", "analytcs", "--json");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.stdout()).contains("\"parameter\" : \"ClusterName\"").contains("\"exitCode\" : 1");
    }

    @Test
    void aBrokenLoginExitsTwoOnStderr() throws Exception {
        Run run = run(Map.of("AWS_PROFILE", "nope"), "--cluster", "analytics", "--region", "us-east-1");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.stdout()).isEmpty();
        assertThat(run.stderr()).startsWith("AWS profile 'nope' is not in ").contains("Fix: run aws configure sso --profile nope");
    }
}
