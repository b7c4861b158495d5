package io.e6link.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One run of a project script as a user runs it, for the script tests (DeployScriptIT, PythonToolsScriptIT):
 * a clean environment holding only the given variables, output captured to files in the working directory.
 *
 * @param exit   the script's exit code
 * @param stdout what it printed on standard output (UTF-8)
 * @param stderr what it printed on standard error (UTF-8)
 */
public record ScriptRun(int exit, String stdout, String stderr) {
    /**
     * Runs {@code command} in {@code directory} with exactly {@code environment} (nothing inherited).
     *
     * @param timeout how long it may take; past that it is killed and an {@link AssertionError} says what it printed
     * @throws IOException when the command cannot be started or its output read
     */
    public static ScriptRun of(List<String> command, Path directory, Map<String, String> environment, Duration timeout)
            throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(command)).directory(directory.toFile());
        builder.environment().clear();
        builder.environment().putAll(environment);
        Path out = directory.resolve("stdout");
        Path err = directory.resolve("stderr");
        builder.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process process = builder.start();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(command + " did not finish within " + timeout.toSeconds() + " s: " + Files.readString(out) + Files.readString(err));
        }
        return new ScriptRun(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }
}
