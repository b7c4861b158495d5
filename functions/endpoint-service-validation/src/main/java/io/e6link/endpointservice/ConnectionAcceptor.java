package io.e6link.endpointservice;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Accepts e6data's pending endpoint connections, and only e6data's: no IAM condition key names the
 * consumer account, so the endpoint owner is checked here (AWS-FACTS.md, PrivateLink). Shared by the
 * custom resource and the scheduled function; it does not log, its callers log the round in their one line.
 */
final class ConnectionAcceptor {
    private final EndpointConnections connections;

    ConnectionAcceptor(EndpointConnections connections) {
        this.connections = connections;
    }

    ConnectionRound run(String serviceId, String e6dataAccountId, boolean accept) {
        List<EndpointConnection> all = connections.list(serviceId);
        List<String> foreignPending = all.stream()
                .filter(c -> !c.ownedBy(e6dataAccountId) && c.is(EndpointConnection.PENDING_ACCEPTANCE))
                .map(EndpointConnection::endpointId)
                .toList();
        List<EndpointConnection> e6data = new ArrayList<>(all.stream().filter(c -> c.ownedBy(e6dataAccountId)).toList());
        List<String> pending = e6data.stream().filter(c -> c.is(EndpointConnection.PENDING_ACCEPTANCE)).map(EndpointConnection::endpointId).toList();
        if (!accept || pending.isEmpty()) {
            return new ConnectionRound(List.copyOf(e6data), List.of(), Map.of(), foreignPending);
        }
        Map<String, String> failures = connections.accept(serviceId, pending);
        List<String> accepted = pending.stream().filter(id -> !failures.containsKey(id)).toList();
        // AWS moves an accepted connection to "pending" and then "available"; show it as such without another describe.
        e6data.replaceAll(c -> accepted.contains(c.endpointId()) ? new EndpointConnection(c.endpointId(), c.ownerAccountId(), EndpointConnection.PENDING) : c);
        return new ConnectionRound(List.copyOf(e6data), accepted, Map.copyOf(failures), foreignPending);
    }
}
