package io.e6link.endpointservicevalidation;

import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The endpoint-connection calls of EC2, behind a seam of their own: moto does not model them, so tests
 * stand in for exactly these three calls while the rest of EC2 stays real.
 */
interface EndpointConnections {

    /** Every connection to the service (all owners, all states); empty when the service does not exist. */
    List<EndpointConnection> list(String serviceId);

    /** Accepts the endpoints; returns the ones AWS reported as Unsuccessful, id to "Code: message". */
    Map<String, String> accept(String serviceId, Collection<String> endpointIds);

    /** Rejects the endpoints; returns the ones AWS reported as Unsuccessful, id to "Code: message". */
    Map<String, String> reject(String serviceId, Collection<String> endpointIds);
}
