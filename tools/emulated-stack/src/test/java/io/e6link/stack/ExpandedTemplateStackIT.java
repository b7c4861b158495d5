package io.e6link.stack;

import static org.assertj.core.api.Assertions.assertThat;

import io.e6link.testing.Moto;
import io.e6link.testing.MotoClients;
import io.e6link.testing.MotoExtension;
import io.e6link.testing.Template;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
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
        Template expanded = Release.expanded(moto, work, PREFIX, VERSION, true);
        TemplateRules.assertDeployableInAnyAccount(expanded);
        List<String> downloaded = Release.pointCodeAtDownloadedObjects(expanded, s3, work.resolve("s3"));
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
}
