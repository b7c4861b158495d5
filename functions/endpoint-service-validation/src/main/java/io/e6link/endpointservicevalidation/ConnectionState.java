package io.e6link.endpointservicevalidation;

import java.util.Collection;

/** e6data's connection as the ConnectionState attribute and metric report it (names and values are a contract with e6data). */
enum ConnectionState {
    None(0), PendingAcceptance(1), Available(2);

    /** The value of the ConnectionState metric: 0 none, 1 pending, 2 available. */
    final int metricValue;

    ConnectionState(int metricValue) {
        this.metricValue = metricValue;
    }

    /**
     * The best state among e6data's connections. An accepted connection passes through "pending" before
     * "available"; it is not usable yet, so it counts as PendingAcceptance.
     */
    static ConnectionState of(Collection<EndpointConnection> e6dataConnections) {
        if (e6dataConnections.stream().anyMatch(c -> c.is(EndpointConnection.AVAILABLE))) {
            return Available;
        }
        if (e6dataConnections.stream().anyMatch(c -> c.is(EndpointConnection.PENDING_ACCEPTANCE) || c.is(EndpointConnection.PENDING))) {
            return PendingAcceptance;
        }
        return None;
    }
}
