package io.e6link.acceptance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.e6link.testing.MotoClients;
import io.e6link.testing.MotoServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A failure injected in the middle of an acceptance run (after the stack, the buckets and e6data's
 * endpoint exist, before the rollback check) in the emulated world: the run stops, everything it created
 * is deleted, nothing tagged with the run remains, and the report says so (stopped early, the checks after
 * the fault not-run, the cleanup check passed, the result fail).
 */
class CleanupOnFailureIT {
    @Test
    void aFaultMidRunStillDeletesEverythingTheRunCreatedAndTheReportSaysSo() {
        assumeTrue(MotoServer.start() != null || "true".equalsIgnoreCase(System.getenv("CI")), "SKIPPED LOUDLY: moto_server is not on PATH");
        ByteArrayOutputStream terminal = new ByteArrayOutputStream();
        Progress progress = new Progress(new PrintStream(terminal, true, StandardCharsets.UTF_8), Clock.systemUTC());
        Options options = Options.parse("--local", "--template", Path.of(System.getProperty("e6link.root"), "template.yaml").toString());
        Report report;
        List<String> leftovers;
        try (LocalWorld world = LocalWorld.start(options.template(), progress)) {
            AcceptanceRun run = new AcceptanceRun(world, options, progress, "fault-0001", AcceptanceRun.fromEnvironment(Map.of(AcceptanceRun.FAULT_VARIABLE, "i")));
            report = run.run();
            leftovers = world.taggedWithRun("fault-0001");
            MotoClients clients = new MotoClients(MotoServer.start());
            assertThat(clients.elb().describeLoadBalancers().loadBalancers()).as("the stack's NLB is gone").isEmpty();
            assertThat(clients.ec2().describeVpcEndpointServiceConfigurations().serviceConfigurations()).as("the endpoint service is gone").isEmpty();
            assertThat(clients.s3().listBuckets().buckets()).extracting(b -> b.name()).noneMatch(name -> name.startsWith("e6link-acc-fault-0001"));
        }

        Map<String, Object> json = report.json();
        assertThat(json.get("stoppedEarly")).isEqualTo("fault injected before check i (" + AcceptanceRun.FAULT_VARIABLE + ")");
        assertThat(json.get("result")).isEqualTo("fail");
        assertThat(report.checks()).filteredOn(c -> List.of("A", "a.1", "c.2").contains(c.id())).allMatch(c -> c.status() == CheckResult.Status.PASS);
        assertThat(report.checks()).filteredOn(c -> List.of("i", "e.1", "f.2", "d", "e.2").contains(c.id()))
                .hasSize(5).allMatch(c -> c.status() == CheckResult.Status.NOT_RUN);
        CheckResult cleanup = report.checks().stream().filter(c -> c.id().equals("cleanup")).findFirst().orElseThrow();
        assertThat(cleanup.status()).as(cleanup.detail()).isEqualTo(CheckResult.Status.PASS);
        @SuppressWarnings("unchecked")
        Map<String, Object> clean = (Map<String, Object>) json.get("cleanup");
        assertThat((List<?>) clean.get("notCleaned")).isEmpty();
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> cleaned = (List<Map<String, Object>>) clean.get("cleaned");
        assertThat(cleaned.stream().map(o -> (String) o.get("kind")).toList()).containsExactly("CloudFormation stack", "S3 bucket", "S3 bucket");
        assertThat(leftovers).isEmpty();
        assertThat(terminal.toString(StandardCharsets.UTF_8)).contains("the run stops: fault injected before check i")
                .contains("cleanup: deleting CloudFormation stack e6link-acc-fault-0001-a");
    }
}
