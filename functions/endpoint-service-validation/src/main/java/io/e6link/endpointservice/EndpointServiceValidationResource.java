package io.e6link.endpointservice;

import io.e6link.kit.CustomResource;
import io.e6link.kit.CustomResourceException;
import io.e6link.kit.Deadline;
import io.e6link.kit.Invocation;
import io.e6link.kit.JsonLog;
import io.e6link.kit.Outcome;
import io.e6link.kit.Properties;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.ec2.model.ServiceConfiguration;

/**
 * Step 7 of the runbook: proves the provider side of the PrivateLink path, lets e6data (and only
 * e6data) in, and on Delete rejects the open connections that would otherwise make CloudFormation fail
 * to delete the endpoint service. Physical id = the ServiceId.
 */
final class EndpointServiceValidationResource implements CustomResource<EndpointServiceValidationProperties> {
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
    public EndpointServiceValidationProperties parse(Properties properties) {
        return EndpointServiceValidationProperties.parse(properties);
    }

    @Override
    public Outcome create(Invocation<EndpointServiceValidationProperties> invocation) {
        return validate(invocation.properties(), invocation.deadline());
    }

    /** Same checks; a new ServiceId is a new physical id, and CloudFormation then deletes the old one. */
    @Override
    public Outcome update(Invocation<EndpointServiceValidationProperties> invocation) {
        return validate(invocation.properties(), invocation.deadline());
    }

    @Override
    public Outcome delete(Invocation<EndpointServiceValidationProperties> invocation) {
        // The physical id, not the properties: after a replacement this Delete is for the old service.
        String serviceId = invocation.physicalResourceId();
        if (!EndpointServiceValidationProperties.isServiceId(serviceId)) {
            return invocation.sameId().build();
        }
        invocation.deadline().step("rejecting the open connections of endpoint service " + serviceId);
        if (checks.findService(serviceId).isEmpty()) {
            log.info("Endpoint service already gone; nothing to reject", Map.of("serviceId", serviceId));
            return invocation.sameId().build();
        }
        List<String> open = openConnections(serviceId);
        if (!open.isEmpty()) {
            Map<String, String> failures = connections.reject(serviceId, open);
            log.info("Rejected endpoint connections so the endpoint service can be deleted",
                    Map.of("serviceId", serviceId, "endpointIds", open, "unsuccessful", failures));
            if (!failures.isEmpty()) {
                // An Unsuccessful item for a connection that closed meanwhile is not a problem: look again.
                List<String> stillOpen = openConnections(serviceId).stream().filter(failures::containsKey).toList();
                if (!stillOpen.isEmpty()) {
                    throw new CustomResourceException("Could not reject the endpoint connections " + String.join(", ",
                            stillOpen.stream().map(id -> id + " (" + failures.get(id) + ")").toList()) + " of endpoint service " + serviceId
                            + ", which block its deletion; reject them in the VPC console (Endpoint services, Endpoint connections) and retry.");
                }
            }
        }
        return invocation.sameId().build();
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
        int healthy = checks.healthyTargets(wanted, deadline);

        deadline.step("accepting e6data's endpoint connections to " + wanted.serviceId());
        ConnectionRound round = acceptor.run(wanted.serviceId(), wanted.e6dataAccountId(), wanted.acceptConnections());
        if (wanted.waitForConnectionSeconds() > 0 && round.state() != ConnectionState.Available) {
            round = waitForConnection(wanted, serviceName, deadline);
        }
        log.info("Endpoint service validated", Map.of("serviceId", wanted.serviceId(), "healthyTargets", healthy,
                "connectionState", round.state().name(), "connectedEndpointIds", round.connectedEndpointIds(),
                "acceptedEndpointIds", round.accepted(), "notAccepted", round.failures(), "foreignPendingEndpointIds", round.foreignPending()));
        return Outcome.of(wanted.serviceId())
                .with("ServiceName", serviceName)
                .with("ConnectionState", round.state().name())
                .withList("ConnectedEndpointIds", round.connectedEndpointIds())
                .with("HealthyTargetCount", healthy)
                .build();
    }

    /** Polls (accepting e6data's newly arrived requests each round) until e6data's connection is Available. */
    private ConnectionRound waitForConnection(EndpointServiceValidationProperties wanted, String serviceName, Deadline deadline) {
        Duration bound = pacing.bound(Duration.ofSeconds(wanted.waitForConnectionSeconds()), deadline);
        deadline.step("waiting up to " + bound.toSeconds() + " s for e6data's connection to " + serviceName);
        ConnectionRound last = pacing.poll(deadline, bound,
                () -> acceptor.run(wanted.serviceId(), wanted.e6dataAccountId(), wanted.acceptConnections()),
                round -> round.state() == ConnectionState.Available);
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

    private List<String> openConnections(String serviceId) {
        return connections.list(serviceId).stream().filter(EndpointConnection::isOpen).map(EndpointConnection::endpointId).toList();
    }
}
