package io.e6link.endpointservicevalidation;

import io.e6link.kit.CustomResource;
import io.e6link.kit.CustomResourceException;
import io.e6link.kit.CustomResourceType;
import io.e6link.kit.Deadline;
import io.e6link.kit.EmbeddedMetrics;
import io.e6link.kit.Invocation;
import io.e6link.kit.JsonLog;
import io.e6link.kit.Outcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import software.amazon.awssdk.services.ec2.model.ServiceConfiguration;

/**
 * Step 7 of the runbook: proves the provider side of the PrivateLink path, lets e6data (and only
 * e6data) in — accepting e6data's pending connections and rejecting every other account's, such as the
 * previous account's after E6dataAccountId changed — and on Delete rejects the open connections and
 * waits until they are closed, since CloudFormation deletes the endpoint service next and that fails
 * while a connection is open. Physical id = the ServiceId.
 */
final class EndpointServiceValidationResource implements CustomResource<EndpointServiceValidationProperties> {
    static final CustomResourceType<EndpointServiceValidationProperties> TYPE = new CustomResourceType<>("Custom::EndpointServiceValidation", EndpointServiceValidationProperties::parse);
    private static final String CONSOLE = "in the VPC console → Endpoint services → Endpoint connections";

    private final PrivateLinkChecks checks;
    private final EndpointConnections connections;
    private final ConnectionAcceptor acceptor;
    private final Pacing pacing;
    private final JsonLog log;

    EndpointServiceValidationResource(PrivateLinkChecks checks, EndpointConnections connections, Pacing pacing, JsonLog log) {
        this.checks = checks;
        this.connections = connections;
        this.acceptor = new ConnectionAcceptor(connections);
        this.pacing = pacing;
        this.log = log;
    }

    @Override
    public Outcome create(Invocation<EndpointServiceValidationProperties> invocation) {
        return validate(invocation.properties(), invocation.deadline());
    }

    /**
     * Same checks; a new ServiceId is a new physical id, and CloudFormation then deletes the old one. A new
     * AllowedPrincipal (E6dataAccountId changed) makes the previous account's connections strangers, rejected here.
     */
    @Override
    public Outcome update(Invocation<EndpointServiceValidationProperties> invocation) {
        return validate(invocation.properties(), invocation.deadline());
    }

    @Override
    public Outcome delete(Invocation<EndpointServiceValidationProperties> invocation) {
        // The physical id when it is a service id: after a replacement this Delete is for the old service.
        // Otherwise (a failed Create's placeholder, an id CloudFormation made up after a lost answer) the
        // properties name the service, whose connections this resource may have accepted.
        String serviceId = EndpointServiceValidationProperties.isServiceId(invocation.physicalResourceId())
                ? invocation.physicalResourceId() : invocation.properties().serviceId();
        Deadline deadline = invocation.deadline();
        deadline.step("rejecting the open connections of endpoint service " + serviceId);
        if (checks.findService(serviceId).isEmpty()) {
            log.info("Endpoint service already gone; nothing to reject", Map.of("serviceId", serviceId));
            return invocation.sameId().build();
        }
        closeConnections(serviceId, deadline);
        return invocation.sameId().build();
    }

    /**
     * Rejects every open connection and waits, bounded, until none is open: EC2 rejects asynchronously, and
     * the endpoint service CloudFormation deletes next cannot be deleted while one is. A connection that
     * arrives during the wait is rejected too; each connection is rejected once.
     */
    private void closeConnections(String serviceId, Deadline deadline) {
        Duration bound = pacing.bound(pacing.closeWait(), deadline);
        Map<String, String> failures = new LinkedHashMap<>();
        Set<String> attempted = new HashSet<>();
        Closing last = pacing.polling().until(deadline, bound, () -> {
            List<EndpointConnection> open = connections.list(serviceId).stream().filter(EndpointConnection::isOpen).toList();
            // Refused in an earlier round and still open: waiting will not close it.
            List<String> refused = open.stream().map(EndpointConnection::endpointId).filter(failures::containsKey).toList();
            List<EndpointConnection> fresh = open.stream().filter(c -> !attempted.contains(c.endpointId())).toList();
            if (!fresh.isEmpty()) {
                List<String> ids = fresh.stream().map(EndpointConnection::endpointId).toList();
                attempted.addAll(ids);
                Map<String, String> unsuccessful = connections.reject(serviceId, ids);
                failures.putAll(unsuccessful);
                log.info("Rejected endpoint connections so the endpoint service can be deleted", Map.of("serviceId", serviceId,
                        "endpointIds", ids, "rejectedConnections", ConnectionRound.describe(fresh), "unsuccessful", unsuccessful));
                deadline.step("waiting up to " + Math.round(bound.toMillis() / 1000.0) + " s for the rejected connections of endpoint service "
                        + serviceId + " to close");
            }
            return new Closing(open, refused);
        }, closing -> closing.open().isEmpty() || !closing.refused().isEmpty());

        if (last.open().isEmpty()) {
            return;
        }
        if (!last.refused().isEmpty()) {
            throw new CustomResourceException("Could not reject the endpoint connections " + String.join(", ",
                    last.refused().stream().map(id -> id + " (" + failures.get(id) + ")").toList()) + " of endpoint service " + serviceId
                    + ", which block its deletion; reject them in the VPC console (Endpoint services, Endpoint connections) and retry.");
        }
        boolean one = last.open().size() == 1;
        throw new CustomResourceException((one ? "The endpoint connection " : "The endpoint connections ")
                + String.join(", ", last.open().stream().map(c -> c.endpointId() + " (" + c.state() + ")").toList())
                + " of endpoint service " + serviceId + (one ? " is" : " are") + " still open " + Math.round(bound.toMillis() / 1000.0)
                + " s after " + (one ? "it was" : "they were") + " rejected and " + (one ? "blocks" : "block") + " deleting the service; reject "
                + (one ? "it " : "them ") + CONSOLE + ", then retry the delete.");
    }

    /** One look during the close wait: the open connections, and those among them AWS refused to reject earlier. */
    private record Closing(List<EndpointConnection> open, List<String> refused) {
    }

    private Outcome validate(EndpointServiceValidationProperties wanted, Deadline deadline) {
        deadline.step("checking endpoint service " + wanted.serviceId());
        ServiceConfiguration service = checks.service(wanted);
        String serviceName = service.serviceName();
        deadline.step("checking network load balancer " + wanted.networkLoadBalancerArn());
        checks.loadBalancer(wanted);
        checks.frontsLoadBalancer(service, wanted);
        checks.listener(wanted);
        deadline.step("checking the allowed principals of " + wanted.serviceId());
        checks.principals(wanted);
        // Last: the one check that may wait, after every quick one has had its say.
        deadline.step("waiting for a healthy target in " + wanted.targetGroupArn());
        int healthy = checks.healthyTargets(wanted, deadline, log);

        deadline.step("accepting e6data's endpoint connections to " + wanted.serviceId() + " and rejecting other accounts'");
        List<ConnectionRound> rounds = new ArrayList<>();
        Supplier<ConnectionRound> look = () -> {
            ConnectionRound round = acceptor.run(wanted.serviceId(), wanted.e6dataAccountId(), wanted.acceptConnections());
            rounds.add(round);
            return round;
        };
        ConnectionRound round;
        try {
            round = look.get();
            refuseStrangers(wanted, round);
            if (wanted.waitForConnectionSeconds() > 0 && round.state() != ConnectionState.Available) {
                round = waitForConnection(wanted, serviceName, deadline, look);
            }
        } finally {
            reportRejections(wanted, rounds);
        }
        log.info("Endpoint service validated", Map.of("serviceId", wanted.serviceId(), "healthyTargets", healthy,
                "connectionState", round.state().name(), "connectedEndpointIds", round.connectedEndpointIds(),
                "acceptedEndpointIds", round.accepted(), "notAccepted", round.failures(),
                "rejectedEndpointIds", rounds.stream().flatMap(r -> r.rejectedEndpointIds().stream()).toList()));
        return Outcome.of(wanted.serviceId())
                .with("ServiceName", serviceName)
                .with("ConnectionState", round.state().name())
                .withList("ConnectedEndpointIds", round.connectedEndpointIds())
                .with("HealthyTargetCount", healthy)
                .build();
    }

    /** A connection of another account that AWS would not reject keeps a door open that only e6data may use: fail. */
    private static void refuseStrangers(EndpointServiceValidationProperties wanted, ConnectionRound round) {
        if (round.notRejected().isEmpty()) {
            return;
        }
        boolean one = round.notRejected().size() == 1;
        throw new CustomResourceException("Could not reject the endpoint " + (one ? "connection " : "connections ")
                + String.join(", ", round.notRejected().stream().map(ConnectionRound.Refusal::sentence).toList())
                + " to endpoint service " + wanted.serviceId() + ", which only e6data's account " + wanted.e6dataAccountId()
                + " may use; reject " + (one ? "it " : "them ") + CONSOLE + ", then retry the stack operation.");
    }

    /** One line naming every connection rejected (or not) with its owner, and the RejectedConnections metric. */
    private void reportRejections(EndpointServiceValidationProperties wanted, List<ConnectionRound> rounds) {
        if (rounds.isEmpty()) {
            return;
        }
        List<EndpointConnection> rejected = rounds.stream().flatMap(r -> r.rejected().stream()).toList();
        List<ConnectionRound.Refusal> notRejected = rounds.getLast().notRejected();
        if (!rejected.isEmpty() || !notRejected.isEmpty()) {
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("serviceId", wanted.serviceId());
            line.put("allowedAccountId", wanted.e6dataAccountId());
            line.put("rejectedConnections", ConnectionRound.describe(rejected));
            if (notRejected.isEmpty()) {
                log.info("Rejected the endpoint connections of accounts other than e6data's", line);
            } else {
                line.put("notRejected", ConnectionRound.describeRefusals(notRejected));
                log.error("AWS did not reject endpoint connections of accounts other than e6data's", line);
            }
        }
        log.raw(EmbeddedMetrics.document("ServiceId", wanted.serviceId(), List.of(EmbeddedMetrics.count("RejectedConnections", rejected.size())),
                System.currentTimeMillis()));
    }

    /** Polls (accepting e6data's newly arrived requests and rejecting others' each round) until e6data's connection is Available. */
    private ConnectionRound waitForConnection(EndpointServiceValidationProperties wanted, String serviceName, Deadline deadline,
                                              Supplier<ConnectionRound> look) {
        Duration bound = pacing.bound(Duration.ofSeconds(wanted.waitForConnectionSeconds()), deadline);
        deadline.step("waiting up to " + bound.toSeconds() + " s for e6data's connection to " + serviceName);
        ConnectionRound last = pacing.polling().until(deadline, bound, look,
                round -> round.state() == ConnectionState.Available || !round.notRejected().isEmpty());
        refuseStrangers(wanted, last);
        if (last.state() == ConnectionState.Available) {
            return last;
        }
        String waited = "within " + Math.round(bound.toMillis() / 1000.0) + " s";
        if (last.e6data().isEmpty()) {
            throw new CustomResourceException("No endpoint connection from e6data's account " + wanted.e6dataAccountId() + " reached "
                    + serviceName + " " + waited + "; give e6data that service name and redeploy, or set the wait to 0.");
        }
        String notAccepted = last.failures().isEmpty() ? "" : "; AWS did not accept " + String.join(", ",
                last.failures().entrySet().stream().map(e -> e.getKey() + " (" + e.getValue() + ")").toList());
        throw new CustomResourceException("e6data's connection to " + serviceName + " did not become available " + waited + ": "
                + last.describeE6data() + notAccepted + (wanted.acceptConnections() ? "" : " (AcceptConnections is false: accept it yourself)") + ".");
    }
}
