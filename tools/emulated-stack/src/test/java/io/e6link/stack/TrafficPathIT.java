package io.e6link.stack;

import static org.assertj.core.api.Assertions.assertThat;

import io.e6link.kit.Json;
import io.e6link.testing.Moto;
import io.e6link.testing.MotoClients;
import io.e6link.testing.MotoExtension;
import io.e6link.testing.Template;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.ServiceConfiguration;
import software.amazon.awssdk.services.ec2.model.SupportedRegionDetail;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ListenerAttribute;

/**
 * The path e6data's traffic takes, through template.yaml deployed in the emulated world (issue 20): the
 * PrivateLink security-group switch, the listener's idle timeout, the handoff output, supported regions,
 * and the "connected but no traffic" alarm evaluated against the connection state the packaged
 * acceptance function publishes and the flow metrics an NLB would (or would not) report.
 */
@ExtendWith(MotoExtension.class)
class TrafficPathIT {
    /** The API server's longest default watch: 2 × --min-request-timeout (1800 s). */
    private static final int LONGEST_DEFAULT_WATCH_SECONDS = 3600;
    private MotoClients clients;
    private Ec2Client ec2;
    private ElasticLoadBalancingV2Client elb;

    @BeforeEach
    void setUp(Moto moto) {
        clients = new MotoClients(moto);
        ec2 = clients.ec2();
        elb = clients.elb();
    }

    private static Map<String, Object> parameters(Map<String, Object> more) {
        Map<String, Object> values = new HashMap<>(Map.of("ClusterName", SampleCluster.NAME, "E6dataAccountId", SampleCluster.E6DATA_ACCOUNT,
                "E6dataVpcCidrs", SampleCluster.E6DATA_CIDR, "E6dataBucketNames", SampleCluster.BUCKET));
        values.putAll(more);
        return values;
    }

    @Test
    void byDefaultTheGateIsOnIdleWatchesOutliveTheNlbAndTheHandoffHoldsEverythingE6dataNeeds(Moto moto, @TempDir Path calls) {
        SampleCluster.seed(clients);
        try (EmulatedStack stack = new EmulatedStack(Template.load(), moto, "e6link-traffic", line -> { }, calls)) {
            EmulatedStack.Result created = stack.deploy(parameters(Map.of()));

            assertThat(created.status()).as(created.reason()).isEqualTo("CREATE_COMPLETE");
            assertThat(stack.resolvedProperties("LoadBalancer")).containsEntry("EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic", "on");
            int idleTimeout = Integer.parseInt(listenerAttributes(stack).get("tcp.idle_timeout.seconds"));
            assertThat(idleTimeout).as("an idle watch is ended by the API server, not cut by the NLB").isGreaterThan(LONGEST_DEFAULT_WATCH_SECONDS)
                    .isBetween(60, 6000);

            Map<String, String> outputs = stack.outputs();
            Map<String, Object> handoff = Json.readObject(outputs.get("E6dataHandoff"));
            String endpoint = clients.eks().describeCluster(b -> b.name(SampleCluster.NAME)).cluster().endpoint();
            assertThat(handoff)
                    .containsEntry("endpointServiceName", outputs.get("EndpointServiceName"))
                    .containsEntry("serviceRegion", "us-east-1")
                    .containsEntry("supportedRegions", List.of())
                    .containsEntry("availabilityZoneIds", List.of(outputs.get("AvailabilityZoneIds").split(",")))
                    .containsEntry("port", 443);
            assertThat(String.valueOf(handoff.get("apiServerHostname")))
                    .as("DescribeCluster's endpoint without scheme or path: the name the API server's certificate carries")
                    .isEqualTo(endpoint.replaceFirst("^https://", "").replaceFirst("/.*$", "").toLowerCase())
                    .endsWith(".us-east-1.eks.amazonaws.com");
            assertThat(stack.delete().ok()).isTrue();
        }
    }

    @Test
    void switchedOffWithOtherRegionsTheLoadBalancerAdmitsEveryAcceptedEndpointAndTheServiceServesThoseRegions(Moto moto, @TempDir Path calls) {
        SampleCluster.seed(clients);
        try (EmulatedStack stack = new EmulatedStack(Template.load(), moto, "e6link-traffic", line -> { }, calls)) {
            EmulatedStack.Result created = stack.deploy(parameters(Map.of("EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic", "off",
                    "SupportedRegions", "us-west-2,eu-central-1", "TcpIdleTimeoutSeconds", "600")));

            assertThat(created.status()).as(created.reason()).isEqualTo("CREATE_COMPLETE");
            assertThat(stack.resolvedProperties("LoadBalancer")).containsEntry("EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic", "off");
            assertThat(listenerAttributes(stack)).containsEntry("tcp.idle_timeout.seconds", "600");
            ServiceConfiguration service = ec2.describeVpcEndpointServiceConfigurations(b -> b.serviceIds(stack.physicalId("EndpointService")))
                    .serviceConfigurations().get(0);
            assertThat(service.supportedRegions()).extracting(SupportedRegionDetail::region).contains("us-west-2", "eu-central-1");
            assertThat(Json.readObject(stack.outputs().get("E6dataHandoff"))).containsEntry("supportedRegions", List.of("us-west-2", "eu-central-1"));
            assertThat(stack.delete().ok()).isTrue();
        }
    }

    @Test
    void malformedSupportedRegionsStopTheStackWithOneSentenceNamingTheParameterBeforeAnythingExists(Moto moto, @TempDir Path calls) {
        SampleCluster.seed(clients);
        int servicesBefore = ec2.describeVpcEndpointServiceConfigurations(b -> { }).serviceConfigurations().size();
        try (EmulatedStack stack = new EmulatedStack(Template.load(), moto, "e6link-traffic", line -> { }, calls)) {
            // An AZ ID where a region belongs: the mistake the AZ-ID guidance invites.
            EmulatedStack.Result refused = stack.deploy(parameters(Map.of("SupportedRegions", "us-west-2,usw2-az1")));

            assertThat(refused.status()).isEqualTo("ValidationError");
            assertThat(refused.reason()).startsWith("Parameter 'SupportedRegions'").contains("usw2-az1").doesNotContain("\n");
            assertThat(stack.resourceTypes()).isEmpty();
            assertThat(elb.describeLoadBalancers().loadBalancers()).isEmpty();
            assertThat(ec2.describeVpcEndpointServiceConfigurations(b -> { }).serviceConfigurations()).hasSize(servicesBefore);
        }
    }

    /**
     * The three states the issue names, on the deployed alarm: its dimensions must be this stack's NLB and
     * endpoint service, and the connection state is what the packaged acceptance function publishes (EMF).
     */
    @Test
    void theNoTrafficAlarmFiresWhileConnectedAndSilentAndStaysQuietWhenFlowingOrNotConnected(Moto moto, @TempDir Path calls) {
        SampleCluster.seed(clients);
        try (EmulatedStack stack = new EmulatedStack(Template.load(), moto, "e6link-traffic", line -> { }, calls)) {
            assertThat(stack.deploy(parameters(Map.of())).ok()).isTrue();
            int minutes = Integer.parseInt(String.valueOf(stack.resolvedProperties("NoTrafficWhileConnectedAlarm").get("EvaluationPeriods")));
            assertThat(minutes).as("NoTrafficAlarmMinutes' default").isEqualTo(60);
            MetricMathAlarm alarm = new MetricMathAlarm(stack.resolvedProperties("NoTrafficWhileConnectedAlarm"));
            String nlb = String.valueOf(stack.attributes("LoadBalancer").get("LoadBalancerFullName"));

            // What the scheduled acceptance publishes before and after e6data's endpoint connects.
            Datapoint none = connectionState(stack);
            stack.requestConnection(stack.physicalId("EndpointService"), SampleCluster.E6DATA_ACCOUNT);
            // The run that accepts the connection reports it as it found it (pending); the next run finds it available.
            Datapoint pending = connectionState(stack);
            Datapoint available = connectionState(stack);
            assertThat(none.value()).isZero();
            assertThat(pending.value()).isEqualTo(1);
            assertThat(available.value()).isEqualTo(2);

            // Available and silent: the NLB reports nothing at all (no datapoints, not zeros).
            List<MetricMathAlarm.Datapoint> silent = everyMinute(available, minutes);
            assertThat(alarm.state(silent, minutes - 1)).isEqualTo("ALARM");
            assertThat(alarm.state(everyMinute(available, minutes - 1), minutes - 2)).as("not before NoTrafficAlarmMinutes of silence").isEqualTo("OK");

            // Available and flowing: watches held open (ActiveFlowCount) and, separately, only new flows now and then.
            List<MetricMathAlarm.Datapoint> watching = new ArrayList<>(silent);
            for (int minute = 0; minute < minutes; minute++) {
                watching.add(flow("ActiveFlowCount", nlb, minute, 3));
            }
            assertThat(alarm.state(watching, minutes - 1)).isEqualTo("OK");
            List<MetricMathAlarm.Datapoint> oneNewFlow = new ArrayList<>(silent);
            oneNewFlow.add(flow("NewFlowCount", nlb, minutes / 2, 1));
            assertThat(alarm.state(oneNewFlow, minutes - 1)).as("one flow in the period is traffic").isEqualTo("OK");

            // Flows of another load balancer are not this one's traffic.
            List<MetricMathAlarm.Datapoint> elsewhere = new ArrayList<>(silent);
            for (int minute = 0; minute < minutes; minute++) {
                elsewhere.add(flow("ActiveFlowCount", "net/someone-else/0123456789abcdef", minute, 5));
            }
            assertThat(alarm.state(elsewhere, minutes - 1)).isEqualTo("ALARM");

            // No connection (ConnectionState 0, or 1 while pending): silence is expected, no alarm.
            assertThat(alarm.state(everyMinute(none, minutes), minutes - 1)).isEqualTo("OK");
            assertThat(alarm.state(everyMinute(pending, minutes), minutes - 1)).as("pending acceptance is not connected yet").isEqualTo("OK");

            // Available, but published every 15 minutes (ReconcileIntervalMinutes 15): the last state holds in between.
            List<MetricMathAlarm.Datapoint> sparse = new ArrayList<>();
            for (int minute = 0; minute < minutes; minute += 15) {
                sparse.add(at(available, minute));
            }
            assertThat(alarm.state(sparse, minutes - 1)).as("ALARM needs all %s minutes; REPEAT fills from minute 0", minutes).isEqualTo("ALARM");
            assertThat(stack.delete().ok()).isTrue();
        }
    }

    private record Datapoint(String namespace, String metricName, Map<String, String> dimensions, double value) {
    }

    /** Runs the packaged acceptance function once and reads the ConnectionState datapoint from its embedded-metric-format log line. */
    @SuppressWarnings("unchecked")
    private static Datapoint connectionState(EmulatedStack stack) {
        assertThat(stack.runScheduled("ConnectionAcceptanceFunction").error()).isFalse();
        Datapoint last = null;
        for (String line : stack.functionLogs("ConnectionAcceptanceFunction").split("\n")) {
            String trimmed = line.trim();
            if (!trimmed.startsWith("{") || !trimmed.contains("\"_aws\"")) {
                continue;
            }
            Map<String, Object> document = Json.readObject(trimmed);
            Map<String, Object> directive = ((List<Map<String, Object>>) ((Map<String, Object>) document.get("_aws")).get("CloudWatchMetrics")).get(0);
            Map<String, String> dimensions = new LinkedHashMap<>();
            for (Object name : ((List<List<Object>>) directive.get("Dimensions")).get(0)) {
                dimensions.put(String.valueOf(name), String.valueOf(document.get(String.valueOf(name))));
            }
            for (Map<String, Object> metric : (List<Map<String, Object>>) directive.get("Metrics")) {
                if ("ConnectionState".equals(metric.get("Name"))) {
                    last = new Datapoint(String.valueOf(directive.get("Namespace")), "ConnectionState", dimensions,
                            ((Number) document.get("ConnectionState")).doubleValue());
                }
            }
        }
        assertThat(last).as("a ConnectionState metric in the function's log").isNotNull();
        return last;
    }

    private static List<MetricMathAlarm.Datapoint> everyMinute(Datapoint published, int minutes) {
        List<MetricMathAlarm.Datapoint> points = new ArrayList<>();
        for (int minute = 0; minute < minutes; minute++) {
            points.add(at(published, minute));
        }
        return points;
    }

    private static MetricMathAlarm.Datapoint at(Datapoint published, int minute) {
        return new MetricMathAlarm.Datapoint(published.namespace(), published.metricName(), published.dimensions(), minute, published.value());
    }

    private static MetricMathAlarm.Datapoint flow(String metric, String loadBalancer, int minute, double value) {
        return new MetricMathAlarm.Datapoint("AWS/NetworkELB", metric, Map.of("LoadBalancer", loadBalancer), minute, value);
    }

    private Map<String, String> listenerAttributes(EmulatedStack stack) {
        Map<String, String> attributes = new LinkedHashMap<>();
        for (ListenerAttribute attribute : elb.describeListenerAttributes(b -> b.listenerArn(stack.physicalId("Listener"))).attributes()) {
            attributes.put(attribute.key(), attribute.value());
        }
        return attributes;
    }
}
