package io.e6link.stack;

import static org.assertj.core.api.Assertions.assertThat;

import io.e6link.testing.Events;
import io.e6link.testing.Moto;
import io.e6link.testing.MotoClients;
import io.e6link.testing.MotoExtension;
import io.e6link.testing.Template;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The transform-free template that Service Catalog and StackSets get is the same stack: scripts/release
 * publishes to (moto) S3, and the expanded template it wrote deploys and deletes cleanly with every
 * function's code downloaded from the regional bucket the template names.
 */
@ExtendWith(MotoExtension.class)
class ExpandedTemplateStackIT {
    private static final String PREFIX = "e6link-stacktest";
    private static final String VERSION = "9.9.9";

    @Test
    void releasedExpandedTemplateDeploysAndDeletesWithCodeFromTheRegionalBucket(Moto moto, @TempDir Path work) throws Exception {
        MotoClients clients = new MotoClients(moto);
        S3Client s3 = clients.s3();
        s3.createBucket(b -> b.bucket(PREFIX + "-us-east-1"));
        Path source = releaseSource(work.resolve("source"));
        release(moto, source);

        Template expanded = Template.load(source.resolve("dist/" + VERSION + "/template-expanded.yaml"));
        assertThat(expanded.document()).doesNotContainKey("Transform");
        TemplateRules.assertDeployableInAnyAccount(expanded);
        List<String> downloaded = pointCodeAtDownloadedObjects(expanded, s3, work.resolve("s3"));
        assertThat(downloaded).hasSize(10);

        SampleCluster cluster = SampleCluster.seed(clients);
        StackIT.CustomerState before = StackIT.CustomerState.read(clients, cluster);
        try (EmulatedStack stack = new EmulatedStack(expanded, moto, "e6link-sc", System.out::println, work.resolve("calls"))) {
            EmulatedStack.Result created = stack.deploy(Map.of("ClusterName", SampleCluster.NAME, "E6dataAccountId", SampleCluster.E6DATA_ACCOUNT,
                    "E6dataVpcCidrs", SampleCluster.E6DATA_CIDR, "E6dataBucketNames", SampleCluster.BUCKET));

            assertThat(created.status()).as(created.reason()).isEqualTo("CREATE_COMPLETE");
            assertThat(stack.outputs().get("EndpointServiceName")).isEqualTo("com.amazonaws.vpce.us-east-1." + stack.physicalId("EndpointService"));
            assertThat(stack.outputs().get("RegisteredIps").split(",")).containsExactlyInAnyOrder("10.0.1.10", "10.0.2.10");

            EmulatedStack.Result deleted = stack.delete();

            assertThat(deleted.status()).as(deleted.reason()).isEqualTo("DELETE_COMPLETE");
            assertThat(StackIT.CustomerState.read(clients, cluster)).isEqualTo(before);
        }
    }

    /** template.yaml plus copies of the built zips at their relative paths, as a release checkout has them. */
    @SuppressWarnings("unchecked")
    private static Path releaseSource(Path source) throws IOException {
        Path root = Events.projectRoot();
        Files.createDirectories(source);
        Files.copy(root.resolve("template.yaml"), source.resolve("template.yaml"));
        Template template = Template.load();
        for (Object value : template.section("Resources").values()) {
            Map<String, Object> properties = (Map<String, Object>) ((Map<String, Object>) value).getOrDefault("Properties", Map.of());
            for (String key : List.of("CodeUri", "ContentUri")) {
                if (properties.get(key) instanceof String path && !Files.exists(source.resolve(path))) {
                    Files.createDirectories(source.resolve(path).getParent());
                    Files.copy(root.resolve(path), source.resolve(path));
                }
            }
        }
        return source;
    }

    private static void release(Moto moto, Path source) throws IOException, InterruptedException {
        Path script = Events.projectRoot().resolve("scripts/release");
        ProcessBuilder builder = new ProcessBuilder("bash", script.toString(), "--version", VERSION, "--bucket-prefix", PREFIX,
                "--regions", "us-east-1", "--endpoint-url", moto.endpointUrl(), "--source-dir", source.toString())
                .redirectErrorStream(true);
        builder.environment().put("AWS_ACCESS_KEY_ID", "testing");
        builder.environment().put("AWS_SECRET_ACCESS_KEY", "testing");
        builder.environment().put("AWS_DEFAULT_REGION", "us-east-1");
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(180, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
    }

    /** Downloads each Lambda code object the expanded template names and points the template at the copy. */
    @SuppressWarnings("unchecked")
    private static List<String> pointCodeAtDownloadedObjects(Template expanded, S3Client s3, Path into) throws IOException {
        List<String> keys = new ArrayList<>();
        for (Object value : expanded.section("Resources").values()) {
            Map<String, Object> resource = (Map<String, Object>) value;
            Map<String, Object> properties = (Map<String, Object>) resource.getOrDefault("Properties", Map.of());
            Object location = switch (String.valueOf(resource.get("Type"))) {
                case "AWS::Lambda::Function" -> properties.get("Code");
                case "AWS::Lambda::LayerVersion" -> properties.get("Content");
                default -> null;
            };
            if (location instanceof Map<?, ?> code) {
                Map<String, Object> s3Location = (Map<String, Object>) code;
                String bucketExpression = String.valueOf(((Map<String, Object>) s3Location.get("S3Bucket")).get("Fn::Sub"));
                String bucket = bucketExpression.replace("${AWS::Region}", "us-east-1");
                String key = (String) s3Location.get("S3Key");
                Path file = into.resolve(key);
                Files.createDirectories(file.getParent());
                if (!Files.exists(file)) {
                    s3.getObject(b -> b.bucket(bucket).key(key), file);
                }
                s3Location.put("S3Key", file.toString());
                keys.add(key);
            }
        }
        return keys;
    }
}
