package io.e6link.stack;

import static org.assertj.core.api.Assertions.assertThat;

import io.e6link.kit.Json;
import io.e6link.testing.Events;
import io.e6link.testing.Template;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import software.amazon.event.ruler.Machine;

/**
 * What template.yaml promises about staying connected through EKS changes: the one-minute default
 * schedule, the EventBridge rule on the cluster's control-plane ENI calls, and the alarm and dashboard
 * that show targets which cannot serve.
 *
 * <p>The rule's pattern is read from template.yaml, resolved as CloudFormation would for cluster "prod", and
 * evaluated with event-ruler (software.amazon.event.ruler, the open-source matcher behind EventBridge's event
 * patterns) against the CloudTrail samples of events/reconciler (assembled from public records: see the README
 * there) and look-alikes that must not match. moto's event bus was used before; its matcher is moto's own.
 */
class ReconcileTriggersTemplateTest {
    private static final String CLUSTER = "prod";
    private static final Template TEMPLATE = Template.load();

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return (Map<String, Object>) value;
    }

    private static Map<String, Object> reconcilerEvent(String name) {
        return map(map(map(TEMPLATE.functionProperties("ReconcilerFunction").get("Events")).get(name)).get("Properties"));
    }

    /** The pattern as CloudFormation resolves it for cluster "prod"; any other intrinsic fails the test. */
    private static Object resolved(Object node) {
        if (node instanceof Map<?, ?> intrinsic && intrinsic.get("Fn::Sub") instanceof List<?> sub) {
            // The cluster's name is the one discovery described (ClusterName may be empty: the region's only cluster).
            assertThat(sub.get(1)).isEqualTo(Map.of("Cluster", Map.of("Fn::GetAtt", List.of("ClusterDiscovery", "ClusterName"))));
            return String.valueOf(sub.get(0)).replace("${Cluster}", CLUSTER);
        }
        if (node instanceof Map<?, ?> object) {
            assertThat(object.keySet()).as("intrinsics other than Fn::Sub in the pattern").noneMatch(key -> String.valueOf(key).startsWith("Fn::"));
            Map<String, Object> copy = new LinkedHashMap<>();
            object.forEach((key, value) -> copy.put(String.valueOf(key), resolved(value)));
            return copy;
        }
        if (node instanceof List<?> list) {
            List<Object> copy = new ArrayList<>();
            list.forEach(value -> copy.add(resolved(value)));
            return copy;
        }
        return node;
    }

    /** The template's EniChanged rule in event-ruler's machine. */
    private static Machine rule() throws Exception {
        Machine machine = new Machine();
        machine.addRule("EniChanged", Json.write(map(resolved(reconcilerEvent("EniChanged").get("Pattern")))));
        return machine;
    }

    private static boolean matches(Machine rule, Map<String, Object> event) throws Exception {
        return rule.rulesForJSONEvent(Json.write(event)).contains("EniChanged");
    }

    private static Map<String, Object> sample(String file, Consumer<Map<String, Object>> change) {
        Map<String, Object> event = Json.readObject(Json.write(Events.load("reconciler/" + file)));
        change.accept(map(event.get("detail")));
        return event;
    }

    private static final String CREATE = "cloudtrail-create-network-interface.json";
    private static final String DELETE = "cloudtrail-delete-network-interface.json";

    /** A customer's own call: an IAM user from an office IP, as CloudTrail records console and CLI calls. */
    private static void byACustomer(Map<String, Object> detail) {
        detail.put("userIdentity", Map.of("type", "IAMUser", "principalId", "AIDAEXAMPLEUSER", "arn", "arn:aws:iam::123456789012:user/alice",
                "accountId", "123456789012", "userName", "alice"));
        detail.put("sourceIPAddress", "198.51.100.2");
        detail.put("userAgent", "aws-cli/2.15.0");
    }

    @Test
    void theRuleMatchesEksCreatingThisClustersEniAndEksDeletingAnyControlPlaneEni() throws Exception {
        Machine rule = rule();

        assertThat(matches(rule, sample(CREATE, detail -> { }))).as("EKS creates a control-plane ENI of cluster prod").isTrue();
        assertThat(matches(rule, sample(DELETE, detail -> { }))).as("EKS deletes a control-plane ENI").isTrue();
        // The delete names no cluster: another cluster's delete starts a run too, which reconciles cluster prod only.
        assertThat(matches(rule, sample(DELETE, detail -> detail.put("requestParameters", Map.of("networkInterfaceId", "eni-0aaaaaaaaaaaaaaaa")))))
                .as("EKS deleting another cluster's ENI (accepted: a no-op run)").isTrue();
        // EKS calling as the cluster IAM role (the identity the old rule expected) is still EKS: same source.
        assertThat(matches(rule, sample(DELETE, detail -> map(map(map(detail.get("userIdentity")).get("sessionContext")).get("sessionIssuer"))
                .put("arn", "arn:aws:iam::123456789012:role/eks")))).as("EKS as the cluster role").isTrue();
        assertThat(reconcilerEvent("EniChanged")).containsEntry("RetryPolicy", Map.of("MaximumRetryAttempts", 0));
    }

    @Test
    void theRuleIgnoresLookAlikes() throws Exception {
        Machine rule = rule();

        assertThat(matches(rule, sample(CREATE, detail -> map(detail.get("requestParameters")).put("description", "Amazon EKS prod-2"))))
                .as("another cluster's ENI").isFalse();
        assertThat(matches(rule, sample(CREATE, detail -> map(detail.get("requestParameters")).put("description", "aws-K8S-i-0123456789abcdef0"))))
                .as("a node's ENI (VPC CNI)").isFalse();
        assertThat(matches(rule, sample(CREATE, ReconcileTriggersTemplateTest::byACustomer)))
                .as("a customer creating an ENI described like EKS's").isFalse();
        assertThat(matches(rule, sample(DELETE, ReconcileTriggersTemplateTest::byACustomer))).as("a customer's own DeleteNetworkInterface").isFalse();
        assertThat(matches(rule, sample(DELETE, detail -> {
            detail.put("sourceIPAddress", "10.0.1.25");
            detail.put("userAgent", "aws-sdk-go/1.44.0 amazon-vpc-cni-k8s");
            map(detail.get("userIdentity")).remove("invokedBy");
        }))).as("the VPC CNI on a node deleting a pod ENI").isFalse();
        assertThat(matches(rule, sample(DELETE, detail -> {
            detail.put("errorCode", "Client.InvalidNetworkInterfaceID.NotFound");
            detail.put("errorMessage", "The networkInterface ID 'eni-0123456789abcdef0' does not exist");
        }))).as("a failed call").isFalse();
        assertThat(matches(rule, sample(DELETE, detail -> detail.put("eventName", "DeleteSecurityGroup")))).as("another EKS call").isFalse();
        assertThat(matches(rule, sample(CREATE, detail -> detail.put("eventName", "CreateNetworkInterfacePermission")))).as("another EC2 call").isFalse();
        assertThat(matches(rule, Events.load("reconciler/scheduled.json"))).as("the schedule's own event").isFalse();
    }

    @Test
    void theScheduleRunsEveryMinuteByDefaultAsTheSafetyNet() {
        assertThat(map(TEMPLATE.section("Parameters").get("ReconcileIntervalMinutes"))).containsEntry("Default", 1).containsEntry("MinValue", 1);
        assertThat(map(reconcilerEvent("Every").get("Schedule")).get("Fn::If")).asList().element(1).isEqualTo("rate(1 minute)");
        assertThat(TEMPLATE.functionProperties("ReconcilerFunction")).doesNotContainKey("ReservedConcurrentExecutions");
    }

    @Test
    void fewerThanTwoHealthyTargetsAlarmsOnElbsOwnCountAndTheDashboardShowsUnservableTargets() {
        Map<String, Object> alarm = TEMPLATE.properties("FewerThanTwoHealthyTargetsAlarm");

        // ELB publishes HealthyHostCount whether or not the reconciler runs; no data at all is as bad as none healthy.
        assertThat(alarm).containsEntry("Namespace", "AWS/NetworkELB").containsEntry("MetricName", "HealthyHostCount")
                .containsEntry("Statistic", "Maximum").containsEntry("Threshold", 2).containsEntry("ComparisonOperator", "LessThanThreshold")
                .containsEntry("TreatMissingData", "breaching")
                .containsEntry("AlarmActions", List.of(Map.of("Ref", "AlarmTopic"))).containsEntry("OKActions", List.of(Map.of("Ref", "AlarmTopic")));
        assertThat((List<?>) alarm.get("Dimensions")).extracting(dimension -> map(dimension).get("Name")).containsExactlyInAnyOrder("LoadBalancer", "TargetGroup");
        assertThat(TEMPLATE.section("Resources")).doesNotContainKey("NoHealthyTargetAlarm");
        List<?> sub = (List<?>) map(TEMPLATE.properties("Dashboard").get("DashboardBody")).get("Fn::Sub");
        assertThat(String.valueOf(sub.get(0))).contains("[\"e6link\", \"UnservableTargets\", \"ClusterName\", \"${Cluster}\"]");
        assertThat(map(sub.get(1))).containsEntry("Cluster", Map.of("Fn::GetAtt", List.of("ClusterDiscovery", "ClusterName")));
    }
}
