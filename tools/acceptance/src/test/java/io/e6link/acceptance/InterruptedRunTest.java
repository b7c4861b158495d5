package io.e6link.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.jr.ob.JSON;
import io.e6link.testing.Moto;
import io.e6link.testing.MotoClients;
import io.e6link.testing.MotoExtension;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import io.e6link.testing.TestTiers;
import org.junit.jupiter.api.Tag;

/**
 * Ctrl-C or SIGTERM in the middle of a real-mode run (its own JVM, AWS emulated by this test's moto):
 * the shutdown hook deletes the stack and the buckets the run created and writes the report, which says
 * the run was interrupted and what was cleaned.
 */
@Tag(TestTiers.EMULATED)
@ExtendWith(MotoExtension.class)
class InterruptedRunTest {
    private static final String TEMPLATE = """
            AWSTemplateFormatVersion: "2010-09-09"
            Parameters:
              ClusterName: {Type: String}
              E6dataAccountId: {Type: String}
              E6dataVpcCidrs: {Type: String}
              E6dataBucketNames: {Type: String}
            Resources:
              Network:
                Type: AWS::EC2::VPC
                Properties:
                  CidrBlock: 10.9.0.0/16
            """;

    @TempDir
    Path dir;

    @Test
    @SuppressWarnings("unchecked")
    void sigtermMidRunDeletesWhatTheRunCreatedAndWritesTheReport(Moto moto) throws Exception {
        MotoClients clients = new MotoClients(moto);
        clients.s3().createBucket(b -> b.bucket("release-under-test"));
        clients.s3().putObject(b -> b.bucket("release-under-test").key("template.yaml"), RequestBody.fromString(TEMPLATE));
        String vpc = clients.ec2().createVpc(b -> b.cidrBlock("10.0.0.0/16")).vpc().vpcId();
        Path reports = dir.resolve("report");
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", System.getProperty("java.class.path"),
                InterruptedRunMain.class.getName(), moto.endpointUrl(), reports.toString(),
                "https://release-under-test.s3.us-east-1.amazonaws.com/template.yaml", vpc).redirectErrorStream(true).start();
        StringBuilder log = new StringBuilder();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                log.append(line).append('\n');
                if (line.contains("BLOCKED before c.1")) {
                    assertThat(clients.s3().listBuckets().buckets()).extracting(b -> b.name()).contains("e6link-acc-sigterm-1-lake-1");
                    child.toHandle().destroy(); // SIGTERM; Process.destroy() would also close this stream
                }
            }
        }
        assertThat(child.waitFor(3, TimeUnit.MINUTES)).as(log.toString()).isTrue();

        assertThat(log).contains("interrupted: cleaning up before exit");
        Map<String, Object> report = JSON.std.mapFrom(Files.readString(reports.resolve("report.json")));
        assertThat(report.get("stoppedEarly")).isEqualTo("interrupted: the JVM is shutting down (Ctrl-C or SIGTERM)");
        Map<String, Object> cleanup = (Map<String, Object>) report.get("cleanup");
        assertThat(((List<Map<String, Object>>) cleanup.get("cleaned")).stream().map(o -> (String) o.get("id")).toList())
                .containsExactly("e6link-acc-sigterm-1-a", "e6link-acc-sigterm-1-lake-2", "e6link-acc-sigterm-1-lake-1");
        assertThat((List<?>) cleanup.get("notCleaned")).isEmpty();
        assertThat(clients.s3().listBuckets().buckets()).extracting(b -> b.name()).containsExactly("release-under-test");
        assertThat(clients.ec2().describeVpcs(b -> b.filters(f -> f.name("cidr").values("10.9.0.0/16"))).vpcs()).as("the stack's VPC").isEmpty();
    }
}
