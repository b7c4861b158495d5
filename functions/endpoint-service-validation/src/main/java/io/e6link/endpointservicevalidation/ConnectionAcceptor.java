package io.e6link.endpointservicevalidation;

import io.e6link.kit.AwsErrors;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Lets e6data in, and only e6data: accepts e6data's pending endpoint connections and rejects every
 * other account's pending or available ones. No IAM condition key of ec2:AcceptVpcEndpointConnections
 * names the consumer account (Service Authorization Reference, "Actions, resources, and condition keys for
 * Amazon EC2", https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonec2.html), so the
 * endpoint owner is checked here; and removing an account from the allowed principals (E6dataAccountId
 * changed) does not close its connections, so they are rejected here too.
 * Shared by the custom resource and the scheduled function; it does not log, its callers log the round.
 */
final class ConnectionAcceptor {
    private final EndpointConnections connections;

    ConnectionAcceptor(EndpointConnections connections) {
        this.connections = connections;
    }

    ConnectionRound run(String serviceId, String e6dataAccountId, boolean accept) {
        List<EndpointConnection> all = connections.list(serviceId);
        List<EndpointConnection> e6data = new ArrayList<>(all.stream().filter(c -> c.ownedBy(e6dataAccountId)).toList());
        List<EndpointConnection> others = all.stream()
                .filter(c -> !c.ownedBy(e6dataAccountId) && c.isRequestedOrAvailable())
                .toList();
        List<String> pending = e6data.stream().filter(c -> c.is(EndpointConnection.PENDING_ACCEPTANCE)).map(EndpointConnection::endpointId).toList();

        // Accept first: a reject that fails (or that the role may not make) must not keep e6data out.
        List<String> accepted = List.of();
        Map<String, String> failures = Map.of();
        if (accept && !pending.isEmpty()) {
            failures = Map.copyOf(connections.accept(serviceId, pending));
            Map<String, String> refused = failures;
            accepted = pending.stream().filter(id -> !refused.containsKey(id)).toList();
            // AWS moves an accepted connection to "pending" and then "available"; show it as such without another describe.
            List<String> nowPending = accepted;
            e6data.replaceAll(c -> nowPending.contains(c.endpointId()) ? new EndpointConnection(c.endpointId(), c.ownerAccountId(), EndpointConnection.PENDING) : c);
        }
        if (others.isEmpty()) {
            return new ConnectionRound(List.copyOf(e6data), accepted, failures, List.of(), List.of());
        }
        Map<String, String> notRejected = reject(serviceId, others);
        List<EndpointConnection> rejected = others.stream().filter(c -> !notRejected.containsKey(c.endpointId())).toList();
        List<ConnectionRound.Refusal> refusals = others.stream()
                .filter(c -> notRejected.containsKey(c.endpointId()))
                .map(c -> new ConnectionRound.Refusal(c, notRejected.get(c.endpointId())))
                .toList();
        if (!refusals.isEmpty()) {
            // An Unsuccessful item for a connection that closed meanwhile (its endpoint deleted) is not a problem: look again.
            Set<String> stillOpen = connections.list(serviceId).stream()
                    .filter(EndpointConnection::isRequestedOrAvailable)
                    .map(EndpointConnection::endpointId)
                    .collect(Collectors.toSet());
            refusals = refusals.stream().filter(r -> stillOpen.contains(r.connection().endpointId())).toList();
        }
        return new ConnectionRound(List.copyOf(e6data), accepted, failures, rejected, refusals);
    }

    /**
     * Rejects the connections; returns the ones not rejected, id to "Code: message". A refused call (the
     * role may not reject, throttling) refuses them all, so the round still reports what it accepted.
     */
    private Map<String, String> reject(String serviceId, List<EndpointConnection> others) {
        List<String> ids = others.stream().map(EndpointConnection::endpointId).toList();
        try {
            return connections.reject(serviceId, ids);
        } catch (SdkException e) {
            String reason = AwsErrors.reason(e);
            Map<String, String> all = new LinkedHashMap<>();
            ids.forEach(id -> all.put(id, reason));
            return all;
        }
    }
}
