package io.e6link.kit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The embedded-metric-format document, compared as the line CloudWatch Logs receives. */
class EmbeddedMetricsTest {

    @Test
    void theDocumentIsTheEnvelopeThenTheDimensionThenEachValueInOrder() {
        String line = Json.write(EmbeddedMetrics.document("ServiceId", "vpce-svc-0123456789abcdef0", List.of(
                new EmbeddedMetrics.Metric("ConnectionState", "None", 2),
                EmbeddedMetrics.count("AcceptedConnections", 0),
                EmbeddedMetrics.count("RejectedConnections", 1)), 1_735_689_600_000L));

        assertThat(line).isEqualTo("{\"_aws\":{\"Timestamp\":1735689600000,\"CloudWatchMetrics\":[{\"Namespace\":\"e6link\","
                + "\"Dimensions\":[[\"ServiceId\"]],\"Metrics\":[{\"Name\":\"ConnectionState\",\"Unit\":\"None\"},"
                + "{\"Name\":\"AcceptedConnections\",\"Unit\":\"Count\"},{\"Name\":\"RejectedConnections\",\"Unit\":\"Count\"}]}]},"
                + "\"ServiceId\":\"vpce-svc-0123456789abcdef0\",\"ConnectionState\":2,\"AcceptedConnections\":0,\"RejectedConnections\":1}");
    }

    @Test
    void aDocumentWithoutMetricsAMetricWithoutValueOrANameUsedTwiceIsRefused() {
        assertThatThrownBy(() -> EmbeddedMetrics.document("ClusterName", "prod", List.of(), 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("An embedded metric document needs at least one metric.");
        assertThatThrownBy(() -> EmbeddedMetrics.document("ClusterName", "prod", List.of(EmbeddedMetrics.count("EniDrift", null)), 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("Metric EniDrift has no value.");
        assertThatThrownBy(() -> EmbeddedMetrics.document("ClusterName", "prod",
                List.of(EmbeddedMetrics.count("EniDrift", 1), EmbeddedMetrics.count("EniDrift", 2)), 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("Metric EniDrift is listed twice.");
    }
}
