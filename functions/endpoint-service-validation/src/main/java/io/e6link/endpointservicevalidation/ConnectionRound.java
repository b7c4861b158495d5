package io.e6link.endpointservicevalidation;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The result of one look at the service's connections: acceptance of e6data's pending ones and
 * rejection of every other account's pending or available ones.
 *
 * @param e6data      e6data's connections, accepted ones already shown as {@code pending}
 * @param accepted    endpoints accepted in this round
 * @param failures    endpoints AWS did not accept, id to "Code: message"
 * @param rejected    connections of other accounts rejected in this round, as they were before
 * @param notRejected connections of other accounts AWS did not reject and that are still open
 */
record ConnectionRound(List<EndpointConnection> e6data, List<String> accepted, Map<String, String> failures,
                       List<EndpointConnection> rejected, List<Refusal> notRejected) {

    /** A connection AWS reported as Unsuccessful, with "Code: message". */
    record Refusal(EndpointConnection connection, String error) {
        Map<String, Object> describe() {
            Map<String, Object> fields = new LinkedHashMap<>(connection.describe());
            fields.put("error", error);
            return fields;
        }

        /** "vpce-0a1 of account 111122223333 (InvalidState: ...)". */
        String sentence() {
            return connection.endpointId() + " of account " + connection.ownerAccountId() + " (" + error + ")";
        }
    }

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

    List<String> rejectedEndpointIds() {
        return rejected.stream().map(EndpointConnection::endpointId).toList();
    }

    /** For failure reasons: e.g. "vpce-0a1 is pendingAcceptance, vpce-0b2 is rejected". */
    String describeE6data() {
        return String.join(", ", e6data.stream().map(c -> c.endpointId() + " is " + c.state()).toList());
    }

    static List<Map<String, Object>> describe(List<EndpointConnection> connections) {
        return connections.stream().map(EndpointConnection::describe).toList();
    }

    static List<Map<String, Object>> describeRefusals(List<Refusal> refusals) {
        return refusals.stream().map(Refusal::describe).toList();
    }
}
