package io.e6link.endpointservicevalidation;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One consumer endpoint's connection to the endpoint service, as the provider sees it.
 *
 * @param state as EC2 reports it; the wire values are lower camel case ({@code pendingAcceptance},
 *              {@code available}) while the SDK enum says {@code PendingAcceptance}, so compare through
 *              {@link #is(String)} only
 */
record EndpointConnection(String endpointId, String ownerAccountId, String state) {
    static final String PENDING_ACCEPTANCE = "pendingAcceptance";
    static final String PENDING = "pending";
    static final String AVAILABLE = "available";

    boolean is(String wanted) {
        return state != null && state.toLowerCase(Locale.ROOT).equals(wanted.toLowerCase(Locale.ROOT));
    }

    boolean ownedBy(String accountId) {
        return accountId.equals(ownerAccountId);
    }

    /**
     * Open connections block deleting the endpoint service: "you must reject any Available or
     * PendingAcceptance interface endpoint connections" (EC2 API Reference, DeleteVpcEndpointServiceConfigurations,
     * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DeleteVpcEndpointServiceConfigurations.html).
     */
    boolean isOpen() {
        return is(PENDING_ACCEPTANCE) || is(PENDING) || is(AVAILABLE);
    }

    /** Carries traffic or asks to: what a connection of any account but e6data's must not be left in. */
    boolean isRequestedOrAvailable() {
        return is(PENDING_ACCEPTANCE) || is(AVAILABLE);
    }

    /** For log lines: endpoint id, owner and state. */
    Map<String, Object> describe() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("endpointId", endpointId);
        fields.put("owner", ownerAccountId);
        fields.put("state", state);
        return fields;
    }
}
