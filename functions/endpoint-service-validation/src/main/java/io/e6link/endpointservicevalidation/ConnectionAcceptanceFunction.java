package io.e6link.endpointservicevalidation;

import io.e6link.kit.AwsClients;
import io.e6link.kit.IamPropagationRetry;
import io.e6link.kit.CustomResourceException;
import io.e6link.kit.EmbeddedMetrics;
import io.e6link.kit.Environment;
import io.e6link.kit.JsonLog;
import io.e6link.kit.ScheduledFunction;
import io.e6link.kit.ScheduledRun;
import java.util.ArrayList;
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
public final class ConnectionAcceptanceFunction extends ScheduledFunction<ConnectionAcceptanceFunction.Acceptance> {

    public ConnectionAcceptanceFunction() {
        this(() -> new Ec2EndpointConnections(AwsClients.configure(Ec2Client.builder(), IamPropagationRetry.scheduled()).build()), System::getenv, JsonLog.stdout());
    }

    ConnectionAcceptanceFunction(Supplier<EndpointConnections> factory, UnaryOperator<String> environment, JsonLog log) {
        // The settings first: a bad environment fails before the client is built.
        super("Connection acceptance run", "Connection acceptance run failed",
                () -> new Acceptance(Settings.from(environment), new ConnectionAcceptor(factory.get())), log);
    }

    @Override
    protected void run(Acceptance acceptance, ScheduledRun line) {
        Settings settings = acceptance.settings();
        line.put("serviceId", settings.serviceId());
        ConnectionRound round = acceptance.acceptor().run(settings.serviceId(), settings.e6dataAccountId(), true);
        line.emit(metrics(settings.serviceId(), round, line.nowMillis()));
        line.put("connectionState", round.state().name());
        line.put("acceptedEndpointIds", round.accepted());
        line.put("connectedEndpointIds", round.connectedEndpointIds());
        line.put("rejectedConnections", ConnectionRound.describe(round.rejected()));
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
            throw new CustomResourceException(String.join("; ", problems));
        }
    }

    /** CloudWatch embedded metric format: the document is the metric, no PutMetricData call or permission. */
    static Map<String, Object> metrics(String serviceId, ConnectionRound round, long timestampMillis) {
        return EmbeddedMetrics.document("ServiceId", serviceId, List.of(
                new EmbeddedMetrics.Metric("ConnectionState", "None", round.state().metricValue),
                EmbeddedMetrics.count("AcceptedConnections", round.accepted().size()),
                EmbeddedMetrics.count("RejectedConnections", round.rejected().size())), timestampMillis);
    }

    /** What a run works with, built once per container: the settings, then the EC2 client. */
    record Acceptance(Settings settings, ConnectionAcceptor acceptor) {
    }

    /** The function's configuration, validated so a bad deployment fails loudly on the first run. */
    record Settings(String serviceId, String e6dataAccountId) {
        static Settings from(UnaryOperator<String> variables) {
            Environment environment = new Environment(variables);
            String serviceId = environment.optional("SERVICE_ID").orElse(null);
            String account = environment.optional("E6DATA_ACCOUNT_ID").orElse(null);
            if (!EndpointServiceValidationProperties.isServiceId(serviceId)) {
                throw new CustomResourceException("SERVICE_ID is '" + serviceId + "', not an endpoint service id (vpce-svc-...).");
            }
            if (account == null || !account.matches("\\d{12}")) {
                throw new CustomResourceException("E6DATA_ACCOUNT_ID is '" + account + "', not a 12-digit AWS account id.");
            }
            return new Settings(serviceId, account);
        }
    }
}
