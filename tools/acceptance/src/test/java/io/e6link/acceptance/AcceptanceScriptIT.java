package io.e6link.acceptance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.jr.ob.JSON;
import io.e6link.testing.Events;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code scripts/acceptance --local} run as CI runs it (the module's jar and classpath already built by
 * this build's package phase): every check either passes or is reported needs-real-account, the data-path
 * checks are never reported as passed, everything created is cleaned, and the report, its markdown and the
 * measured clock file are written. Bad input through the script is refused with exit status 2.
 */
class AcceptanceScriptIT {
    @TempDir
    Path work;

    record Run(int exit, String stdout, String stderr) {
    }

    @Test
    @SuppressWarnings("unchecked")
    void theLocalRunPassesEveryCheckItCanAndReportsTheDataPathOnesAsNeedingARealAccount() throws Exception {
        assumeTrue(onPath("moto_server") || "true".equalsIgnoreCase(System.getenv("CI")), "SKIPPED LOUDLY: moto_server is not on PATH");
        Path reports = work.resolve("report");
        Run run = script(List.of("--local", "--report-dir", reports.toString()), Map.of("AWS_PROFILE", "e6link-no-such-profile"));

        assertThat(run.exit()).as(run.stdout() + run.stderr()).isZero();
        Map<String, Object> report = JSON.std.mapFrom(Files.readString(reports.resolve("report.json")));
        assertThat(report).containsEntry("mode", "local").containsEntry("emulated", true).containsEntry("result", "pass");
        Map<String, String> statuses = new java.util.LinkedHashMap<>();
        for (Object check : (List<Object>) report.get("checks")) {
            Map<String, Object> c = (Map<String, Object>) check;
            statuses.put((String) c.get("id"), (String) c.get("status"));
            for (Object m : (List<Object>) c.get("measurements")) {
                assertThat((String) ((Map<String, Object>) m).get("unit")).as("unit of %s", m).isNotBlank();
            }
        }
        assertThat(statuses.keySet()).containsExactlyElementsOf(Checklist.ITEMS.stream().map(Checklist.Item::id).toList());
        for (Checklist.Item item : Checklist.ITEMS) {
            assertThat(statuses.get(item.id())).as(item.id()).isEqualTo(item.needsRealAccount() ? "needs-real-account" : "pass");
        }
        Map<String, Object> cleanup = (Map<String, Object>) report.get("cleanup");
        assertThat((List<?>) cleanup.get("notCleaned")).isEmpty();
        assertThat((List<?>) cleanup.get("leftoversFoundByTag")).isEmpty();
        assertThat((List<?>) cleanup.get("cleaned")).hasSizeGreaterThanOrEqualTo(6);

        Map<String, Object> clock = JSON.std.mapFrom(Files.readString(reports.resolve("aws-clock.measured.json")));
        Map<String, Object> create = (Map<String, Object>) ((Map<String, Object>) clock.get("timings")).get("stackCreate");
        assertThat(create).containsKeys("what", "fastSeconds", "slowSeconds", "default", "sources", "measuredSeconds", "source");
        assertThat((String) create.get("source")).startsWith("scripts/acceptance --local ");
        assertThat(Files.readString(reports.resolve("report.md"))).startsWith("# e6link acceptance: PASS").contains("| a.3 ").contains("needs-real-account");
        assertThat(run.stderr()).contains("waiting for the stack to accept endpoint").contains("cleanup: deleting");
    }

    @Test
    void badInputThroughTheScriptIsRefusedWithExitStatusTwoAndDryRunPrintsThePlan() throws Exception {
        Run run = script(List.of("--customer-profile", "a", "--e6data-profile", "b", "--region", "mars-1", "--cluster", "c"), Map.of());
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.stderr().strip()).isEqualTo("Refused: --region 'mars-1' is not an AWS region name like us-east-1.");
        assertThat(run.stdout()).isEmpty();

        Run plan = script(List.of("--local", "--dry-run"), Map.of());
        assertThat(plan.exit()).as(plan.stderr()).isZero();
        assertThat(plan.stdout()).contains("nothing is created").contains("[needs-real-account in --local]").contains("Cost: none (emulated).");
    }

    private Run script(List<String> args, Map<String, String> env) throws Exception {
        Path root = Events.projectRoot();
        List<String> command = new ArrayList<>();
        command.add(root.resolve("scripts/acceptance").toString());
        command.addAll(args);
        Path out = work.resolve("stdout-" + System.nanoTime());
        Path err = work.resolve("stderr-" + System.nanoTime());
        ProcessBuilder builder = new ProcessBuilder(command).directory(root.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().put("E6LINK_ACCEPTANCE_SKIP_BUILD", "1");
        builder.environment().putAll(env);
        Process process = builder.start();
        if (!process.waitFor(10, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("scripts/acceptance did not finish within 10 minutes:\n" + Files.readString(err));
        }
        return new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    private static boolean onPath(String executable) {
        String path = System.getenv("PATH");
        return path != null && Stream.of(path.split(File.pathSeparator)).anyMatch(dir -> Files.isExecutable(Path.of(dir, executable)));
    }
}
