package io.e6link.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.jr.ob.JSON;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report's format: every measured value with its unit and every check's status in report.json, a
 * markdown summary, and the timings in the shape of the emulated world's aws-clock.json. The ledger's
 * cleanup tries every deletion and names what it could not delete.
 */
@SuppressWarnings("unchecked")
class ReportTest {
    private static final Instant START = Instant.parse("2026-12-07T06:00:00Z");

    @TempDir
    Path dir;

    @Test
    void theJsonHoldsEachCheckWithStatusAndUnitsAndTheCleanup() throws IOException {
        Report report = sample(List.of(new Ledger.Outcome("VPC", "vpc-1", "e6data", true, null)));
        report.write(dir);

        Map<String, Object> json = JSON.std.mapFrom(Files.readString(dir.resolve("report.json")));
        assertThat(json).containsEntry("mode", "aws").containsEntry("region", "eu-west-1").containsEntry("result", "pass").containsEntry("runId", "run-1");
        List<?> checks = (List<Object>) json.get("checks");
        assertThat(checks).hasSize(3);
        Map<String, Object> first = (Map<String, Object>) checks.get(0);
        assertThat(first).containsEntry("id", "c.1").containsEntry("status", "pass");
        assertThat((List<Object>) first.get("measurements")).first().isEqualTo(Map.of("name", "initialToHealthyMax", "value", 95.0, "unit", "s"));
        assertThat(((Map<String, Object>) checks.get(1)).get("status")).isEqualTo("needs-real-account");
        assertThat((Map<String, Object>) json.get("counts")).containsEntry("pass", 2).containsEntry("needs-real-account", 1).containsEntry("fail", 0);
        assertThat((Map<String, Object>) json.get("cleanup")).containsEntry("notCleaned", List.of());

        String markdown = Files.readString(dir.resolve("report.md"));
        assertThat(markdown).startsWith("# e6link acceptance: PASS").contains("| c.1 Target registration | pass | initialToHealthyMax 95 s |")
                .contains("| a.3 Data path | needs-real-account |").contains("1 of 1 created objects deleted.");
    }

    @Test
    void aFailedDeletionFailsTheReportAndNamesTheObject() {
        Report report = sample(List.of(new Ledger.Outcome("subnet", "subnet-9", "e6data", false, "DependencyViolation: has dependencies")));
        assertThat(report.passed()).isFalse();
        assertThat(report.markdown()).startsWith("# e6link acceptance: FAIL").contains("- subnet subnet-9 (e6data): DependencyViolation: has dependencies");
    }

    @Test
    void theTimingsHaveTheShapeOfTheEmulatedWorldsAwsClockFile() throws IOException {
        Report report = sample(List.of());
        Map<String, Object> clock = report.clock();
        Map<String, Object> timing = (Map<String, Object>) ((Map<String, Object>) clock.get("timings")).get("targetInitialToHealthy");
        assertThat(timing).containsEntry("fastSeconds", 40.0).containsEntry("slowSeconds", 95.0).containsEntry("default", "slow")
                .containsEntry("measuredSeconds", List.of(40.0, 95.0)).containsEntry("source", "scripts/acceptance 2026-12-07 eu-west-1");
        assertThat((List<Object>) timing.get("sources")).containsExactly("scripts/acceptance 2026-12-07 eu-west-1: 2 samples");

        try (InputStream in = getClass().getResourceAsStream("/io/e6link/testing/aws/aws-clock.json")) {
            Map<String, Object> emulated = JSON.std.mapFrom(in);
            assertThat(clock.keySet()).containsAll(List.of("about", "schema", "timings"));
            assertThat(clock.get("schema")).isEqualTo(emulated.get("schema"));
            Map<String, Object> entries = (Map<String, Object>) emulated.get("timings");
            for (Object entry : entries.values()) {
                for (String key : ((Map<String, Object>) entry).keySet()) {
                    if (List.of("what", "fastSeconds", "slowSeconds", "default", "sources").contains(key)) {
                        assertThat(timing).as("aws-clock.json's key %s", key).containsKey(key);
                    }
                }
            }
        }
    }

    @Test
    void theLedgerTriesEveryDeletionNewestFirstAndReportsTheOneThatFailed() {
        Ledger ledger = new Ledger(new Progress(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), Clock.fixed(START, ZoneOffset.UTC)));
        StringBuilder order = new StringBuilder();
        ledger.created("S3 bucket", "b-1", "customer", () -> order.append("b-1 "));
        ledger.created("VPC", "vpc-1", "e6data", () -> {
            throw new IllegalStateException("DependencyViolation: vpc-1 has dependencies");
        });
        ledger.created("subnet", "subnet-1", "e6data", () -> order.append("subnet-1 "));
        ledger.created("stack", "s-1", "customer", () -> order.append("never "));
        ledger.deleted("s-1");

        List<Ledger.Outcome> outcomes = ledger.cleanUp();

        assertThat(order.toString()).isEqualTo("subnet-1 b-1 ");
        assertThat(outcomes).extracting(Ledger.Outcome::id, Ledger.Outcome::cleaned)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("s-1", true), org.assertj.core.groups.Tuple.tuple("subnet-1", true),
                        org.assertj.core.groups.Tuple.tuple("vpc-1", false), org.assertj.core.groups.Tuple.tuple("b-1", true));
        assertThat(outcomes.get(2).reason()).isEqualTo("DependencyViolation: vpc-1 has dependencies");
        assertThat(ledger.pending()).isEmpty();
    }

    private static Report sample(List<Ledger.Outcome> cleanup) {
        Report report = new Report("aws", "eu-west-1", "e6link-check", "https://example/template.yaml", "run-1", START);
        report.add(CheckResult.pass("c.1", "Target registration", "every target became healthy", new Measurement("initialToHealthyMax", 95, "s")));
        report.add(CheckResult.needsRealAccount("a.3", "Data path", "needs a real account"));
        report.add(CheckResult.pass("cleanup", "Cleanup", "all deleted", new Measurement("created", 1, "objects")));
        report.time("targetInitialToHealthy", "NLB IP target: first seen until healthy", 40);
        report.time("targetInitialToHealthy", "NLB IP target: first seen until healthy", 95);
        report.cleanedUp(cleanup, List.of(), START.plusSeconds(3600));
        return report;
    }
}
