package io.e6link.stack;

import static org.assertj.core.api.Assertions.assertThat;

import io.e6link.testing.Events;
import io.e6link.testing.Moto;
import io.e6link.testing.MotoClients;
import io.e6link.testing.MotoExtension;
import io.e6link.testing.Template;
import io.e6link.testing.aws.StrictAws.RecordedCall;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A new release reaches existing stacks: updating from the previous release's template keeps the NLB
 * and the endpoint service (the service name e6data connects to must not change), and an update that
 * changes only the release version reaches every custom resource and makes no mutating AWS call.
 */
@ExtendWith(MotoExtension.class)
class UpgradeIT {
    /**
     * The template of release 0.1.0, as published, except that its {@code CodeUri}/{@code Handler} point at today's
     * build (the emulated stack runs local zips; the published ones were in the release bucket): the resources,
     * logical ids, properties and roles — what an update has to carry across — are 0.1.0's.
     */
    private static final Path PREVIOUS_RELEASE = Events.projectRoot().resolve("tools/emulated-stack/src/test/resources/releases/0.1.0/template.yaml");
    private final List<String> events = Collections.synchronizedList(new ArrayList<>());

    private void print(String line) {
        events.add(line);
        System.out.println(line);
    }

    @Test
    void updatingFromThePreviousReleaseKeepsTheServiceAndAVersionOnlyUpdateChangesNothingInAws(Moto moto, @TempDir Path calls) {
        MotoClients clients = new MotoClients(moto);
        SampleCluster cluster = SampleCluster.seed(clients);
        StackIT.CustomerState before = StackIT.CustomerState.read(clients, cluster);
        Map<String, Object> parameters = Map.of("ClusterName", SampleCluster.NAME, "E6dataAccountId", SampleCluster.E6DATA_ACCOUNT,
                "E6dataVpcCidrs", SampleCluster.E6DATA_CIDR, "E6dataBucketNames", SampleCluster.BUCKET);

        try (EmulatedStack stack = new EmulatedStack(Template.load(PREVIOUS_RELEASE), moto, "e6link-upgrade", this::print, calls)) {
            assertThat(stack.deploy(parameters).status()).isEqualTo("CREATE_COMPLETE");
            String loadBalancer = stack.physicalId("LoadBalancer");
            String service = stack.physicalId("EndpointService");
            stack.requestConnection(service, SampleCluster.E6DATA_ACCOUNT);

            EmulatedStack.Result upgraded = stack.update(Template.load(), parameters);

            assertThat(upgraded.status()).as(upgraded.reason()).isEqualTo("UPDATE_COMPLETE");
            assertThat(stack.physicalId("LoadBalancer")).isEqualTo(loadBalancer);
            assertThat(stack.physicalId("EndpointService")).isEqualTo(service);
            assertThat(stack.outputs()).containsEntry("EndpointServiceName", "com.amazonaws.vpce.us-east-1." + service)
                    .containsEntry("Version", releaseVersion(Template.load()));

            Template next = Template.load();
            releaseOf(next).put("Version", "9.9.9");
            int mark = moto.strict().recordedCalls().size();
            events.clear();

            EmulatedStack.Result bumped = stack.update(next, parameters);

            assertThat(bumped.status()).as(bumped.reason()).isEqualTo("UPDATE_COMPLETE");
            assertThat(stack.outputs()).containsEntry("Version", "9.9.9");
            assertThat(events.stream().filter(line -> line.contains("UPDATE_COMPLETE") && line.contains("Custom::")).count())
                    .as("every custom resource got the new release as an Update").isEqualTo(7);
            List<RecordedCall> updateCalls = moto.strict().recordedCalls().subList(mark, moto.strict().recordedCalls().size());
            assertThat(updateCalls.stream().map(RecordedCall::call).filter(UpgradeIT::isMutating).toList())
                    .as("AWS calls that change something, made by an update that changes only the release").isEmpty();

            assertThat(stack.delete().status()).isEqualTo("DELETE_COMPLETE");
            assertThat(StackIT.CustomerState.read(clients, cluster)).isEqualTo(before);
        }
    }

    private static boolean isMutating(String call) {
        String operation = call.substring(call.indexOf(':') + 1);
        return !operation.startsWith("Describe") && !operation.startsWith("List") && !operation.startsWith("Get");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> releaseOf(Template template) {
        return (Map<String, Object>) ((Map<String, Object>) template.section("Mappings").get("Release")).get("E6link");
    }

    private static String releaseVersion(Template template) {
        return String.valueOf(releaseOf(template).get("Version"));
    }
}
