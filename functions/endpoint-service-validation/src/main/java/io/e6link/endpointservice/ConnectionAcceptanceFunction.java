package io.e6link.endpointservice;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.e6link.kit.AwsClients;
import io.e6link.kit.AwsErrors;
import io.e6link.kit.Json;
import io.e6link.kit.JsonLog;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * Scheduled (EventBridge): accepts e6data's pending endpoint connections between deployments, so a
 * customer with acceptance required never has to click, and rejects every other account's pending or
 * available ones (after E6dataAccountId changes, the previous account's connection stays open until
 * rejected). Env {@code SERVICE_ID}, {@code E6DATA_ACCOUNT_ID}.
 *
 * <p>Each run writes one JSON log line (rejected connections listed with their owners) and one CloudWatch
 * embedded-metric-format document (namespace e6link, dimension ServiceId: ConnectionState 0 none /
 * 1 pending / 2 available, AcceptedConnections, RejectedConnections). A run that cannot do its job (an
 * accept or a reject AWS refused) throws after both, so Lambda counts an error and the Errors alarm sees it.
 */
public final class ConnectionAcceptanceFunction implements RequestStreamHandler {
    private final Supplier<EndpointConnections> factory;
    private final UnaryOperator<String> environment;
    private final JsonLog log;
    private volatile EndpointConnections connections;

    public ConnectionAcceptanceFunction() {
        this(() -> new Ec2EndpointConnections(AwsClients.build(Ec2Client.builder())), System::getenv, JsonLog.stdout());
    }

    ConnectionAcceptanceFunction(Supplier<EndpointConnections> factory, UnaryOperator<String> environment, JsonLog log) {
        this.factory = factory;
        this.environment = environment;
        this.log = log;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        input.readAllBytes(); // the scheduled event carries nothing this run needs
        long started = System.nanoTime();
        Map<String, Object> line = new LinkedHashMap<>();
        try {
            Settings settings = Settings.from(environment);
            line.put("serviceId", settings.serviceId());
            ConnectionRound round = new ConnectionAcceptor(connections()).run(settings.serviceId(), settings.e6dataAccountId(), true);
            log.raw(metrics(settings.serviceId(), round));
            line.put("connectionState", round.state().name());
            line.put("acceptedEndpointIds", round.accepted());
            line.put("connectedEndpointIds", round.connectedEndpointIds());
            line.put("rejectedConnections", ConnectionRound.describe(round.rejected()));
            line.put("ms", (System.nanoTime() - started) / 1_000_000);
            List<String> problems = new ArrayList<>();
            if (!round.failures().isEmpty()) {
                line.put("notAccepted", round.failures());
                problems.add("AWS did not accept e6data's endpoint connections to " + settings.serviceId() + ": "
                        + String.join(", ", round.failures().entrySet().stream().map(e -> e.getKey() + " (" + e.getValue() + ")").toList()));
            }
            if (!round.notRejected().isEmpty()) {
                line.put("notRejected", ConnectionRound.describeRefusals(round.notRejected()));
                problems.add("AWS did not reject the endpoint connections of accounts other than e6data's to " + settings.serviceId() + ": "
                        + String.join(", ", round.notRejected().stream().map(ConnectionRound.Refusal::sentence).toList()));
            }
            if (!problems.isEmpty()) {
                throw new IllegalStateException(String.join("; ", problems));
            }
            log.info("Connection acceptance run", line);
            output.write(Json.write(Map.of("connectionState", round.state().name(), "accepted", round.accepted(),
                            "rejected", round.rejectedEndpointIds()))
                    .getBytes(StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            line.put("ms", (System.nanoTime() - started) / 1_000_000);
            line.put("error", AwsErrors.reason(e));
            log.error("Connection acceptance run failed", line);
            throw e;
        }
    }

    /** Built once per container, on first use; a failed build is retried by the next run instead of being cached. */
    private EndpointConnections connections() {
        EndpointConnections current = connections;
        if (current == null) {
            synchronized (this) {
                if (connections == null) {
                    connections = factory.get();
                }
                current = connections;
            }
        }
        return current;
    }

    /** CloudWatch embedded metric format: the document is the metric, no PutMetricData call or permission. */
    static Map<String, Object> metrics(String serviceId, ConnectionRound round) {
        return EmbeddedMetrics.document(serviceId, List.of(
                new EmbeddedMetrics.Metric("ConnectionState", "None", round.state().metricValue),
                EmbeddedMetrics.count("AcceptedConnections", round.accepted().size()),
                EmbeddedMetrics.count("RejectedConnections", round.rejected().size())));
    }

    /** The function's configuration, validated so a bad deployment fails loudly on the first run. */
    record Settings(String serviceId, String e6dataAccountId) {
        static Settings from(UnaryOperator<String> environment) {
            String serviceId = environment.apply("SERVICE_ID");
            String account = environment.apply("E6DATA_ACCOUNT_ID");
            if (!EndpointServiceValidationProperties.isServiceId(serviceId)) {
                throw new IllegalStateException("SERVICE_ID is '" + serviceId + "', not an endpoint service id (vpce-svc-...).");
            }
            if (account == null || !account.matches("\\d{12}")) {
                throw new IllegalStateException("E6DATA_ACCOUNT_ID is '" + account + "', not a 12-digit AWS account id.");
            }
            return new Settings(serviceId, account);
        }
    }
}
