package io.e6link.endpointservice;

import java.util.List;
import java.util.Map;

/**
 * The result of one look at the service's connections (and acceptance of e6data's pending ones).
 *
 * @param e6data         e6data's connections, accepted ones already shown as {@code pending}
 * @param accepted       endpoints accepted in this round
 * @param failures       endpoints AWS did not accept, id to "Code: message"
 * @param foreignPending pending endpoints of other accounts, left pending on purpose
 */
record ConnectionRound(List<EndpointConnection> e6data, List<String> accepted, Map<String, String> failures,
                       List<String> foreignPending) {

    ConnectionState state() {
        return ConnectionState.of(e6data);
    }

    /** e6data's endpoints that are connected or accepted and on their way to Available. */
    List<String> connectedEndpointIds() {
        return e6data.stream()
                .filter(c -> c.is(EndpointConnection.AVAILABLE) || c.is(EndpointConnection.PENDING))
                .map(EndpointConnection::endpointId)
                .sorted()
                .toList();
    }

    /** For failure reasons: e.g. "vpce-0a1 is pendingAcceptance, vpce-0b2 is rejected". */
    String describeE6data() {
        return String.join(", ", e6data.stream().map(c -> c.endpointId() + " is " + c.state()).toList());
    }
}
