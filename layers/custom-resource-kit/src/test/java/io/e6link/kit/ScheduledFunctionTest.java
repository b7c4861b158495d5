package io.e6link.kit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

/** The scheduled-function entry point: summary line, metrics, failure as a Lambda error, lazy subject. */
class ScheduledFunctionTest {
    private static final String EVENT = "{\"detail-type\":\"Scheduled Event\",\"time\":\"2025-01-01T00:00:00Z\",\"detail\":{}}";
    private static final long START = 1_735_689_600_000L;

    private final ByteArrayOutputStream logged = new ByteArrayOutputStream();
    private final JsonLog log = new JsonLog(new PrintStream(logged, true, StandardCharsets.UTF_8));
    /** Each reading is 7 ms after the previous one, so a run (start, metrics, end) takes a known time. */
    private final AtomicLong now = new AtomicLong(START);
    private final LongSupplier clock = () -> now.getAndAdd(7);

    /** A function whose subject is the string the factory returns, and whose run is {@code body}. */
    private ScheduledFunction<String> function(Supplier<String> factory, BiConsumer<String, ScheduledRun> body) {
        return new ScheduledFunction<>("Sample run finished", "Sample run failed", factory, log, clock) {
            @Override
            protected void run(String subject, ScheduledRun run) {
                body.accept(subject, run);
            }
        };
    }

    private static String invoke(ScheduledFunction<?> function, String event) {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        try {
            function.handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), output, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return output.toString(StandardCharsets.UTF_8);
    }

    private List<Map<String, Object>> lines() {
        return logged.toString(StandardCharsets.UTF_8).lines().map(Json::readObject).toList();
    }

    private static Map<String, Object> metrics(ScheduledRun run, int value) {
        return EmbeddedMetrics.document("ClusterName", "prod", List.of(EmbeddedMetrics.count("TargetsAdded", value)), run.nowMillis());
    }

    @Test
    void aSuccessfulRunWritesOneSummaryLineThenItsMetricsAndReturnsTheSummary() {
        ScheduledFunction<String> function = function(() -> "prod", (cluster, run) -> {
            run.put("cluster", cluster).putAll(Map.of("added", List.of("10.0.1.5")));
            run.emit(metrics(run, 1));
        });

        String output = invoke(function, EVENT);

        List<Map<String, Object>> lines = lines();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).containsEntry("level", "INFO").containsEntry("message", "Sample run finished")
                .containsEntry("scheduledTime", "2025-01-01T00:00:00Z").containsEntry("cluster", "prod")
                .containsEntry("added", List.of("10.0.1.5")).containsEntry("outcome", "SUCCESS").containsEntry("ms", 14)
                .doesNotContainKey("reason");
        assertThat(lines.get(1)).containsEntry("TargetsAdded", 1).containsKey("_aws");
        assertThat(Json.readObject(output)).containsEntry("outcome", "SUCCESS").containsEntry("cluster", "prod")
                .containsEntry("scheduledTime", "2025-01-01T00:00:00Z").containsEntry("ms", 14);
    }

    static Stream<Arguments> failures() {
        AwsServiceException throttled = AwsServiceException.builder().statusCode(400)
                .awsErrorDetails(AwsErrorDetails.builder().serviceName("ElasticLoadBalancingV2").errorCode("Throttling").errorMessage("Rate exceeded").build())
                .build();
        return Stream.of(
                Arguments.of(new CustomResourceException("Environment variable CLUSTER_NAME is not set."), "Environment variable CLUSTER_NAME is not set."),
                Arguments.of(throttled, "ElasticLoadBalancingV2 refused the request (Throttling): Rate exceeded"),
                Arguments.of(new IllegalStateException("boom"),
                        "Internal error (IllegalStateException): boom. See the function's CloudWatch log for details."));
    }

    @ParameterizedTest
    @MethodSource("failures")
    void aFailedRunLogsItsReasonAndWhatItHadDoneEmitsItsMetricsAndThrowsForLambdasErrorsMetric(RuntimeException failure, String reason) {
        ScheduledFunction<String> function = function(() -> "prod", (cluster, run) -> {
            run.put("added", List.of("10.0.1.5"));
            run.emit(metrics(run, 1));
            throw failure;
        });

        assertThatThrownBy(() -> invoke(function, EVENT)).isInstanceOf(ScheduledRunFailedException.class)
                .hasMessage(reason).hasCause(failure);

        List<Map<String, Object>> lines = lines();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).containsEntry("level", "ERROR").containsEntry("message", "Sample run failed")
                .containsEntry("added", List.of("10.0.1.5")).containsEntry("outcome", "FAILED").containsEntry("reason", reason)
                .containsEntry("ms", 14).containsEntry("scheduledTime", "2025-01-01T00:00:00Z");
        assertThat(lines.get(1)).containsEntry("TargetsAdded", 1);
    }

    @Test
    void aSubjectThatFailsToBuildFailsThatRunOnlyAndIsBuiltOnceAfterwards() {
        AtomicInteger builds = new AtomicInteger();
        AtomicInteger runs = new AtomicInteger();
        ScheduledFunction<String> function = function(() -> {
            if (builds.incrementAndGet() == 1) {
                throw new CustomResourceException("AWS_REGION is not set; the function cannot tell which region to call.");
            }
            return "prod";
        }, (cluster, run) -> runs.incrementAndGet());

        assertThatThrownBy(() -> invoke(function, EVENT)).hasMessage("AWS_REGION is not set; the function cannot tell which region to call.");
        invoke(function, EVENT);
        invoke(function, EVENT);

        assertThat(builds).hasValue(2);
        assertThat(runs).hasValue(2);
        assertThat(lines()).extracting(line -> line.get("outcome")).containsExactly("FAILED", "SUCCESS", "SUCCESS");
    }

    @Test
    void anyPayloadIsAcceptedAndOnlyItsTimeIsRead() {
        ScheduledFunction<String> function = function(() -> "prod", (cluster, run) -> run.put("cluster", cluster));

        Map<String, Object> notJson = Json.readObject(invoke(function, "not json"));
        Map<String, Object> noTime = Json.readObject(invoke(function, "{\"detail\":{}}"));

        assertThat(notJson).containsEntry("outcome", "SUCCESS").doesNotContainKey("scheduledTime");
        assertThat(noTime).containsEntry("outcome", "SUCCESS").doesNotContainKey("scheduledTime");
        assertThat(lines()).allSatisfy(line -> assertThat(line).doesNotContainKey("scheduledTime").containsEntry("cluster", "prod"));
    }
}
