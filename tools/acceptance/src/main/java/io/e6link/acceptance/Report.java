package io.e6link.acceptance;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The acceptance report: every check with its status and measured values (with units), what the
 * cleanup deleted and what it could not, and the measured timings. Written as report.json, a short
 * report.md, and aws-clock.measured.json: the timings in the shape of the emulated world's AWS-clock
 * file (testing/test-support/src/main/resources/io/e6link/testing/aws/aws-clock.json: per timing
 * {@code what}, {@code fastSeconds}, {@code slowSeconds}, {@code default}, {@code sources}) plus the
 * samples ({@code measuredSeconds}) and where they came from ({@code source}), so a real run
 * recalibrates the offline clock with one reviewed change.
 */
public final class Report {
    /** Samples of one timing: what it is and each measured value in seconds. */
    public record Timing(String what, List<Double> seconds) {
    }

    private final String mode;
    private final String region;
    private final String cluster;
    private final String release;
    private final String runId;
    private final Instant started;
    private Instant ended;
    private final List<CheckResult> checks = new ArrayList<>();
    private final Map<String, Timing> timings = new LinkedHashMap<>();
    private final List<Ledger.Outcome> cleanup = new ArrayList<>();
    private final List<String> leftovers = new ArrayList<>();
    private String failure;

    public Report(String mode, String region, String cluster, String release, String runId, Instant started) {
        this.mode = mode;
        this.region = region;
        this.cluster = cluster;
        this.release = release;
        this.runId = runId;
        this.started = started;
    }

    public synchronized void add(CheckResult check) {
        checks.add(check);
    }

    /** Adds one sample of a timing (seconds), creating the timing with its description on first use. */
    public synchronized void time(String name, String what, double seconds) {
        timings.computeIfAbsent(name, n -> new Timing(what, new ArrayList<>())).seconds().add(round(seconds));
    }

    /** The run stopped early: the reason (the checks after it are not-run). */
    public synchronized void failed(String reason) {
        this.failure = reason;
    }

    public synchronized void cleanedUp(List<Ledger.Outcome> outcomes, List<String> found, Instant end) {
        cleanup.addAll(outcomes);
        leftovers.addAll(found);
        this.ended = end;
    }

    public synchronized List<CheckResult> checks() {
        return List.copyOf(checks);
    }

    /** True when no check failed, the run did not stop early, and everything created was deleted. */
    public synchronized boolean passed() {
        return failure == null && checks.stream().noneMatch(c -> c.status() == CheckResult.Status.FAIL)
                && cleanup.stream().allMatch(Ledger.Outcome::cleaned) && leftovers.isEmpty();
    }

    /** The report as the JSON document report.json holds. */
    public synchronized Map<String, Object> json() {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("schema", 1);
        root.put("tool", "scripts/acceptance");
        root.put("mode", mode);
        root.put("emulated", "local".equals(mode));
        root.put("region", region);
        root.put("cluster", cluster);
        root.put("release", release);
        root.put("runId", runId);
        root.put("runTag", Map.of("key", Ledger.RUN_TAG, "value", runId));
        root.put("startedAt", started.toString());
        root.put("endedAt", ended == null ? null : ended.toString());
        root.put("durationSeconds", ended == null ? null : round(Duration.between(started, ended).toMillis() / 1000.0));
        root.put("result", passed() ? "pass" : "fail");
        root.put("stoppedEarly", failure);
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (CheckResult.Status status : CheckResult.Status.values()) {
            counts.put(status.word(), (int) checks.stream().filter(c -> c.status() == status).count());
        }
        root.put("counts", counts);
        List<Map<String, Object>> checkList = new ArrayList<>();
        for (CheckResult check : checks) {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("id", check.id());
            c.put("title", check.title());
            c.put("status", check.status().word());
            c.put("detail", check.detail());
            List<Map<String, Object>> values = new ArrayList<>();
            for (Measurement m : check.measurements()) {
                Map<String, Object> v = new LinkedHashMap<>();
                v.put("name", m.name());
                v.put("value", m.value());
                v.put("unit", m.unit());
                values.add(v);
            }
            c.put("measurements", values);
            checkList.add(c);
        }
        root.put("checks", checkList);
        Map<String, Object> clean = new LinkedHashMap<>();
        List<Map<String, Object>> cleaned = new ArrayList<>();
        List<Map<String, Object>> notCleaned = new ArrayList<>();
        for (Ledger.Outcome outcome : cleanup) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("kind", outcome.kind());
            o.put("id", outcome.id());
            o.put("account", outcome.account());
            if (outcome.reason() != null) {
                o.put("reason", outcome.reason());
            }
            (outcome.cleaned() ? cleaned : notCleaned).add(o);
        }
        clean.put("cleaned", cleaned);
        clean.put("notCleaned", notCleaned);
        clean.put("leftoversFoundByTag", List.copyOf(leftovers));
        root.put("cleanup", clean);
        root.put("timings", clock().get("timings"));
        return root;
    }

    /** The measured timings in the AWS-clock file's shape (aws-clock.measured.json). */
    public synchronized Map<String, Object> clock() {
        String source = "scripts/acceptance " + (mode.equals("local") ? "--local " : "") + LocalDate.ofInstant(started, ZoneOffset.UTC) + " " + region;
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("about", "Timings measured by " + source + (mode.equals("local")
                ? " in the EMULATED world: they show the command's logic works and are not a calibration of AWS's clock."
                : " in real AWS accounts. To recalibrate the emulated clock, review these against"
                        + " testing/test-support/src/main/resources/io/e6link/testing/aws/aws-clock.json and merge them in one change."));
        root.put("schema", 1);
        Map<String, Object> entries = new LinkedHashMap<>();
        timings.forEach((name, timing) -> {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("what", timing.what());
            entry.put("fastSeconds", timing.seconds().stream().mapToDouble(Double::doubleValue).min().orElse(0));
            entry.put("slowSeconds", timing.seconds().stream().mapToDouble(Double::doubleValue).max().orElse(0));
            entry.put("default", "slow");
            entry.put("sources", List.of(source + ": " + timing.seconds().size() + " sample" + (timing.seconds().size() == 1 ? "" : "s")));
            entry.put("measuredSeconds", List.copyOf(timing.seconds()));
            entry.put("source", source);
            entries.put(name, entry);
        });
        root.put("timings", entries);
        return root;
    }

    /** The short markdown summary (report.md). */
    public synchronized String markdown() {
        StringBuilder md = new StringBuilder();
        md.append("# e6link acceptance: ").append(passed() ? "PASS" : "FAIL").append("\n\n");
        md.append("- mode: ").append(mode.equals("local") ? "local (EMULATED world; data-path checks need a real account)" : "real AWS accounts").append('\n');
        md.append("- region: ").append(region).append(", cluster: ").append(cluster).append('\n');
        md.append("- release: ").append(release).append('\n');
        md.append("- run: ").append(runId).append(" (tag ").append(Ledger.RUN_TAG).append('=').append(runId).append("), ")
                .append(started).append(" to ").append(ended).append('\n');
        if (failure != null) {
            md.append("- **stopped early:** ").append(failure).append('\n');
        }
        md.append("\n| Check | Status | Measured | Detail |\n|---|---|---|---|\n");
        for (CheckResult check : checks) {
            StringBuilder values = new StringBuilder();
            for (Measurement m : check.measurements()) {
                if (!values.isEmpty()) {
                    values.append("; ");
                }
                values.append(m.name()).append(' ').append(format(m.value())).append(' ').append(m.unit());
            }
            md.append("| ").append(check.id()).append(' ').append(cell(check.title())).append(" | ").append(check.status().word())
                    .append(" | ").append(cell(values.toString())).append(" | ").append(cell(check.detail())).append(" |\n");
        }
        long cleaned = cleanup.stream().filter(Ledger.Outcome::cleaned).count();
        md.append("\n## Cleanup\n\n").append(cleaned).append(" of ").append(cleanup.size()).append(" created objects deleted.");
        List<Ledger.Outcome> notCleaned = cleanup.stream().filter(o -> !o.cleaned()).toList();
        if (notCleaned.isEmpty() && leftovers.isEmpty()) {
            md.append(" Nothing tagged ").append(Ledger.RUN_TAG).append('=').append(runId).append(" remains.\n");
        } else {
            md.append(" **Not cleaned (delete by hand):**\n\n");
            notCleaned.forEach(o -> md.append("- ").append(o.kind()).append(' ').append(o.id()).append(" (").append(o.account()).append("): ")
                    .append(o.reason()).append('\n'));
            leftovers.forEach(l -> md.append("- still tagged with the run: ").append(l).append('\n'));
        }
        if (!timings.isEmpty()) {
            md.append("\n## Timings (s)\n\n| Timing | fast | slow | samples |\n|---|---|---|---|\n");
            timings.forEach((name, t) -> md.append("| ").append(name).append(" | ")
                    .append(format(t.seconds().stream().mapToDouble(Double::doubleValue).min().orElse(0))).append(" | ")
                    .append(format(t.seconds().stream().mapToDouble(Double::doubleValue).max().orElse(0))).append(" | ")
                    .append(t.seconds().size()).append(" |\n"));
        }
        return md.toString();
    }

    /** Writes report.json, report.md and aws-clock.measured.json into {@code dir}. */
    public void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        JSON json = JSON.std.with(JSON.Feature.PRETTY_PRINT_OUTPUT).without(JSON.Feature.WRITE_NULL_PROPERTIES);
        Files.writeString(dir.resolve("report.json"), json.asString(json()) + "\n");
        Files.writeString(dir.resolve("aws-clock.measured.json"), json.asString(clock()) + "\n");
        Files.writeString(dir.resolve("report.md"), markdown());
    }

    private static String cell(String text) {
        return text == null ? "" : text.replace("|", "\\|").replace("\n", " ");
    }

    private static String format(double value) {
        return value == Math.rint(value) ? String.valueOf((long) value) : String.format(Locale.ROOT, "%.1f", value);
    }

    private static double round(double value) {
        return Math.round(value * 10) / 10.0;
    }
}
