package io.e6link.stack;

import static org.assertj.core.api.Assertions.assertThat;

import io.e6link.testing.Moto;
import io.e6link.testing.MotoExtension;
import io.e6link.testing.Template;
import io.e6link.testing.aws.StrictAws;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import io.e6link.testing.TestTiers;
import org.junit.jupiter.api.Tag;

/**
 * {@code FewerThanTwoHealthyTargetsAlarm} reads ELB's {@code HealthyHostCount}, which every load balancer node
 * publishes with its own view of the target group: one minute of the metric holds one datapoint per node. The
 * template's statistic must page when no node sees two healthy targets, and not when one node's view dips (a
 * node whose health checks to one target fail, its zone impaired) while the others still see two or more.
 * AWS's NLB guide, "CloudWatch metrics for your Network Load Balancer": for {@code HealthyHostCount} "the most
 * useful statistics are Maximum and Minimum" (not Average: a mean of node counts is a number no node reported).
 *
 * <p>Per-node datapoints are put into moto's CloudWatch under the alarm's dimensions, the alarm's own statistic,
 * period, threshold and comparison are read from template.yaml, and CloudWatch's {@code GetMetricStatistics} (query protocol: the SDK's CloudWatch client speaks RPCv2 CBOR, which moto does not)
 * aggregates each minute; the alarm would go to ALARM when all of its evaluation periods breach.
 */
@Tag(TestTiers.EMULATED)
@ExtendWith(MotoExtension.class)
class HealthyHostCountAlarmTest {
    private static final Template TEMPLATE = Template.load();
    private static final Map<String, Object> ALARM = TEMPLATE.properties("FewerThanTwoHealthyTargetsAlarm");
    private static final List<Map.Entry<String, String>> DIMENSIONS = List.of(
            Map.entry("LoadBalancer", "net/e6link-prod/0123456789abcdef"),
            Map.entry("TargetGroup", "targetgroup/e6link-prod/fedcba9876543210"));
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** One query-protocol call to moto's CloudWatch through the strict front door; returns the XML answer. */
    private static String call(Moto moto, Map<String, String> parameters) {
        Map<String, String> all = new LinkedHashMap<>(Map.of("Version", "2010-08-01"));
        all.putAll(parameters);
        String body = all.entrySet().stream().map(entry -> encode(entry.getKey()) + "=" + encode(entry.getValue())).collect(Collectors.joining("&"));
        HttpRequest request = HttpRequest.newBuilder(URI.create(moto.endpointUrl() + "/"))
                .header("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
                .header("Authorization", "AWS4-HMAC-SHA256 Credential=" + StrictAws.AWS_SERVICE_ACCESS_KEY
                        + "/20250101/us-east-1/monitoring/aws4_request, SignedHeaders=host, Signature=0")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(all.get("Action") + ": " + response.body()).isEqualTo(200);
            return response.body();
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static Map<String, String> dimensions(String prefix) {
        Map<String, String> parameters = new LinkedHashMap<>();
        for (int i = 0; i < DIMENSIONS.size(); i++) {
            parameters.put(prefix + ".member." + (i + 1) + ".Name", DIMENSIONS.get(i).getKey());
            parameters.put(prefix + ".member." + (i + 1) + ".Value", DIMENSIONS.get(i).getValue());
        }
        return parameters;
    }

    /**
     * Each minute of the alarm's evaluation window, the count each of three nodes (one per zone) reports; true when
     * the alarm would go to ALARM (every evaluation period breaching).
     */
    private static boolean pages(Moto moto, int nodeA, int nodeB, int nodeC) {
        String namespace = String.valueOf(ALARM.get("Namespace"));
        String metric = String.valueOf(ALARM.get("MetricName"));
        String statistic = String.valueOf(ALARM.get("Statistic"));
        int periods = ((Number) ALARM.get("EvaluationPeriods")).intValue();
        int period = ((Number) ALARM.get("Period")).intValue();
        Instant end = Instant.now().truncatedTo(ChronoUnit.MINUTES);
        Instant start = end.minusSeconds((long) periods * period);
        for (int minute = 0; minute < periods; minute++) {
            Instant at = start.plusSeconds((long) minute * period + 30);
            Map<String, String> put = new LinkedHashMap<>(Map.of("Action", "PutMetricData", "Namespace", namespace));
            int member = 1;
            for (int count : new int[] {nodeA, nodeB, nodeC}) {
                String prefix = "MetricData.member." + member++;
                put.put(prefix + ".MetricName", metric);
                put.put(prefix + ".Value", String.valueOf(count));
                put.put(prefix + ".Timestamp", at.toString());
                put.putAll(dimensions(prefix + ".Dimensions"));
            }
            call(moto, put);
        }
        Map<String, String> get = new LinkedHashMap<>(Map.of("Action", "GetMetricStatistics", "Namespace", namespace, "MetricName", metric,
                "StartTime", start.toString(), "EndTime", end.toString(), "Period", String.valueOf(period), "Statistics.member.1", statistic));
        get.putAll(dimensions("Dimensions"));
        String answer = call(moto, get);
        List<Double> minutes = new ArrayList<>();
        Matcher value = Pattern.compile("<" + statistic + ">([0-9.]+)</" + statistic + ">").matcher(answer);
        while (value.find()) {
            minutes.add(Double.parseDouble(value.group(1)));
        }
        assertThat(minutes).as("one aggregate per evaluation period: " + answer).hasSize(periods);
        assertThat(ALARM).containsEntry("ComparisonOperator", "LessThanThreshold");
        double threshold = ((Number) ALARM.get("Threshold")).doubleValue();
        return minutes.stream().allMatch(aggregate -> aggregate < threshold);
    }

    @Test
    void oneNodesViewDoesNotPage(Moto moto) {
        assertThat(pages(moto, 3, 3, 1)).as("two nodes see three healthy targets, one node sees one").isFalse();
    }

    @Test
    void fewerThanTwoHealthyTargetsSeenByEveryNodePages(Moto moto) {
        assertThat(pages(moto, 1, 1, 1)).as("every node sees one healthy target").isTrue();
        moto.reset();
        assertThat(pages(moto, 0, 1, 0)).as("no node sees two").isTrue();
    }

    @Test
    void theStatisticIsOneAwsRecommendsForHealthyHostCountOnAnNlb() {
        assertThat(ALARM).containsEntry("Namespace", "AWS/NetworkELB").containsEntry("Statistic", "Maximum");
        assertThat(TEMPLATE.properties("LoadBalancer").get("LoadBalancerAttributes")).asList()
                .contains(Map.of("Key", "load_balancing.cross_zone.enabled", "Value", "true"));
    }
}
