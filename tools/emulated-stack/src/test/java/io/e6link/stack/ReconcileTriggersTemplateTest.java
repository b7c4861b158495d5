package io.e6link.stack;

import static org.assertj.core.api.Assertions.assertThat;

import io.e6link.kit.Json;
import io.e6link.testing.Events;
import io.e6link.testing.Moto;
import io.e6link.testing.MotoExtension;
import io.e6link.testing.TestTiers;
import io.e6link.testing.Template;
import io.e6link.testing.aws.StrictAws;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What template.yaml promises about staying connected through EKS changes: the one-minute default
 * schedule, the EventBridge rule on the cluster's control-plane ENI calls (its pattern put on moto's
 * event bus and fed the sample CloudTrail events of events/reconciler and variants of them),
 * and the alarm and dashboard that show targets which cannot serve.
 */
@Tag(TestTiers.EMULATED)
@ExtendWith(MotoExtension.class)
class ReconcileTriggersTemplateTest {
    private static final String CLUSTER = "prod";
    private static final String CLUSTER_ROLE = "arn:aws:iam::123456789012:role/eks";
    private static final Template TEMPLATE = Template.load();
    private final HttpClient http = HttpClient.newHttpClient();

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return (Map<String, Object>) value;
    }

    private static Map<String, Object> reconcilerEvent(String name) {
        return map(map(map(TEMPLATE.functionProperties("ReconcilerFunction").get("Events")).get(name)).get("Properties"));
    }

    /** The pattern as CloudFormation resolves it for cluster "prod" whose role is {@link #CLUSTER_ROLE}. */
    private static Object resolved(Object node) {
        if (node instanceof Map<?, ?> intrinsic && intrinsic.containsKey("Fn::Sub")) {
            return String.valueOf(intrinsic.get("Fn::Sub")).replace("${ClusterName}", CLUSTER);
        }
        if (node instanceof Map<?, ?> intrinsic && intrinsic.containsKey("Fn::GetAtt")) {
            assertThat(intrinsic.get("Fn::GetAtt")).isEqualTo(List.of("ClusterDiscovery", "RoleArn"));
            return CLUSTER_ROLE;
        }
        if (node instanceof Map<?, ?> object) {
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

    /** One JSON-protocol call to moto through the strict front door (moto 5.2 does not implement TestEventPattern). */
    private Map<String, Object> call(Moto moto, String service, String target, String version, Map<String, Object> body)
            throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(moto.endpointUrl() + "/"))
                .header("Content-Type", "application/x-amz-json-" + version)
                .header("X-Amz-Target", target)
                .header("Authorization", "AWS4-HMAC-SHA256 Credential=" + StrictAws.AWS_SERVICE_ACCESS_KEY
                        + "/20250101/us-east-1/" + service + "/aws4_request, SignedHeaders=host, Signature=0")
                .POST(HttpRequest.BodyPublishers.ofString(Json.write(body))).build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(target + ": " + response.body()).isEqualTo(200);
        return response.body().isBlank() ? Map.of() : Json.readObject(response.body());
    }

    /**
     * The template's rule, resolved, on moto's default event bus with an SQS queue as its target: an
     * event matches when PutEvents delivers it to the queue. Returns the queue URL.
     */
    private String deployRule(Moto moto) throws IOException, InterruptedException {
        String queueUrl = String.valueOf(call(moto, "sqs", "AmazonSQS.CreateQueue", "1.0", Map.of("QueueName", "eni-changed")).get("QueueUrl"));
        String pattern = Json.write(map(resolved(reconcilerEvent("EniChanged").get("Pattern"))));
        call(moto, "events", "AWSEvents.PutRule", "1.1", Map.of("Name", "eni-changed", "EventPattern", pattern));
        call(moto, "events", "AWSEvents.PutTargets", "1.1", Map.of("Rule", "eni-changed",
                "Targets", List.of(Map.of("Id", "queue", "Arn", "arn:aws:sqs:us-east-1:123456789012:eni-changed"))));
        return queueUrl;
    }

    private boolean matches(Moto moto, String queueUrl, Map<String, Object> event) throws IOException, InterruptedException {
        call(moto, "events", "AWSEvents.PutEvents", "1.1", Map.of("Entries", List.of(Map.of("Source", event.get("source"),
                "DetailType", event.get("detail-type"), "Detail", Json.write(map(event.get("detail"))), "Resources", List.of()))));
        Object delivered = call(moto, "sqs", "AmazonSQS.ReceiveMessage", "1.0", Map.of("QueueUrl", queueUrl, "MaxNumberOfMessages", 10))
                .get("Messages");
        return delivered instanceof List<?> messages && !messages.isEmpty();
    }

    private static Map<String, Object> sample(String file, Consumer<Map<String, Object>> change) {
        Map<String, Object> event = Json.readObject(Json.write(Events.load("reconciler/" + file)));
        change.accept(map(event.get("detail")));
        return event;
    }

    @Test
    void theRuleMatchesOnlyThisClustersControlPlaneEniCallsThatSucceeded(Moto moto) throws Exception {
        String queue = deployRule(moto);
        assertThat(matches(moto, queue, sample("cloudtrail-create-network-interface.json", detail -> { }))).isTrue();
        assertThat(matches(moto, queue, sample("cloudtrail-delete-network-interface.json", detail -> { }))).isTrue();

        assertThat(matches(moto, queue, sample("cloudtrail-create-network-interface.json",
                detail -> map(detail.get("requestParameters")).put("description", "Amazon EKS prod-2")))).as("another cluster's ENI").isFalse();
        assertThat(matches(moto, queue, sample("cloudtrail-create-network-interface.json",
                detail -> map(detail.get("requestParameters")).put("description", "worker node")))).as("a node's ENI").isFalse();
        assertThat(matches(moto, queue, sample("cloudtrail-delete-network-interface.json",
                detail -> map(map(map(detail.get("userIdentity")).get("sessionContext")).get("sessionIssuer"))
                        .put("arn", "arn:aws:iam::123456789012:role/eks-node")))).as("a delete by another role").isFalse();
        assertThat(matches(moto, queue, sample("cloudtrail-delete-network-interface.json",
                detail -> detail.put("errorCode", "Client.InvalidNetworkInterfaceID.NotFound")))).as("a refused call").isFalse();
        assertThat(matches(moto, queue, sample("cloudtrail-create-network-interface.json",
                detail -> detail.put("eventName", "CreateNetworkInterfacePermission")))).as("another EC2 call").isFalse();
        assertThat(matches(moto, queue, Events.load("reconciler/scheduled.json"))).as("the schedule's own event").isFalse();
        assertThat(reconcilerEvent("EniChanged")).containsEntry("RetryPolicy", Map.of("MaximumRetryAttempts", 0));
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
                .containsEntry("Statistic", "Minimum").containsEntry("Threshold", 2).containsEntry("ComparisonOperator", "LessThanThreshold")
                .containsEntry("TreatMissingData", "breaching")
                .containsEntry("AlarmActions", List.of(Map.of("Ref", "AlarmTopic"))).containsEntry("OKActions", List.of(Map.of("Ref", "AlarmTopic")));
        assertThat((List<?>) alarm.get("Dimensions")).extracting(dimension -> map(dimension).get("Name")).containsExactlyInAnyOrder("LoadBalancer", "TargetGroup");
        assertThat(TEMPLATE.section("Resources")).doesNotContainKey("NoHealthyTargetAlarm");
        String body = String.valueOf(map(TEMPLATE.properties("Dashboard").get("DashboardBody")).get("Fn::Sub"));
        assertThat(body).contains("[\"e6link\", \"UnservableTargets\", \"ClusterName\", \"${ClusterName}\"]");
    }
}
