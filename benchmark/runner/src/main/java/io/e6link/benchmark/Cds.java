package io.e6link.benchmark;

import io.e6link.testing.PackagedFunction;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The AppCDS lever: a dynamic archive dumped at the exit of a training run (two invocations), then
 * used through JAVA_TOOL_OPTIONS. The options silence CDS logging so that an archive the JVM rejects
 * (another JVM build, changed jars) costs nothing but the lost speed-up: -Xshare:auto (Lambda's flag)
 * falls back to the JDK's own archive.
 */
final class Cds {
    private Cds() {
    }

    static Path archive(Path work, Subject subject) {
        return work.resolve(subject.functionId() + ".jsa");
    }

    /** The archive, or a failure: without it the JVM would silently run without CDS and the numbers would lie. */
    static Path existingArchive(Path work, Subject subject) {
        Path archive = archive(work, subject);
        if (!Files.isRegularFile(archive)) {
            throw new IllegalStateException("no AppCDS archive for " + subject.functionId());
        }
        return archive;
    }

    static String sizes(Path work) throws IOException {
        try (Stream<Path> files = Files.list(work)) {
            return String.join(", ", files.filter(f -> f.toString().endsWith(".jsa") && !f.getFileName().toString().startsWith("garbage"))
                    .sorted()
                    .map(f -> f.getFileName() + " " + Math.round(size(f) / 1048576.0) + " MB").toList());
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }

    static String useOptions(Path archive) {
        return "-XX:SharedArchiveFile=" + archive + " -Xlog:cds=off -Xlog:cds+dynamic=off";
    }

    static void train(Subject subject, Variant layout, Scenario scenario, Path archive) {
        Variant training = layout.withEnvironment(s -> Map.of("JAVA_TOOL_OPTIONS", "-XX:ArchiveClassesAtExit=" + archive));
        PackagedFunction function = training.start(subject, scenario.environment(subject));
        try {
            for (int i = 0; i < 2; i++) {
                scenario.verify(subject, function, function.invoke(scenario.event(subject)));
            }
            // The JVM dumps the archive on its way out (SIGTERM runs the normal exit path).
            function.process().destroy();
            if (!function.process().waitFor(180, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the training JVM did not exit within 180 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            function.close();
        }
        if (!Files.isRegularFile(archive)) {
            String logs = function.logs();
            throw new IllegalStateException("no archive was written; " + logs.substring(Math.max(0, logs.length() - 1500)));
        }
    }

    /** Starts JVMs with archives they must reject and reports whether anything was printed. */
    static String fallbackCheck(Path work) throws IOException {
        Path garbage = work.resolve("garbage.jsa");
        Files.write(garbage, new byte[4096]);
        Path current = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> results = new ArrayList<>();
        results.add(probe(current, garbage, "a corrupt archive on this JVM"));
        Path trained;
        try (Stream<Path> files = Files.list(work)) {
            trained = files.filter(f -> f.toString().endsWith(".jsa") && !f.equals(garbage)).findFirst().orElse(null);
        }
        if (trained != null) {
            try (Stream<Path> jvms = Files.list(Path.of("/usr/lib/jvm"))) {
                jvms.map(home -> home.resolve("bin/java"))
                        .filter(Files::isExecutable)
                        .filter(java -> !java.toAbsolutePath().normalize().startsWith(Path.of(System.getProperty("java.home")).toAbsolutePath().normalize()))
                        .findFirst()
                        .ifPresent(other -> results.add(probe(other, trained, "this run's archive on " + other.getParent().getParent().getFileName())));
            } catch (IOException e) {
                // no other JVM installed: only the corrupt-archive probe
            }
        }
        return String.join("; ", results);
    }

    private static String probe(Path java, Path archive, String what) {
        try {
            Process process = new ProcessBuilder(java.toString(), "-Xshare:auto", "-XX:SharedArchiveFile=" + archive,
                    "-Xlog:cds=off", "-Xlog:cds+dynamic=off", "-version").redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
            int exit = process.waitFor();
            boolean silent = output.lines().allMatch(line -> line.contains("version") || line.contains("Runtime Environment") || line.contains("VM"));
            return what + ": exit " + exit + (silent ? ", nothing printed" : ", printed: " + output.lines().filter(l -> !l.contains("version")).findFirst().orElse(""));
        } catch (IOException | InterruptedException e) {
            return what + ": probe failed (" + e.getMessage() + ")";
        }
    }
}
