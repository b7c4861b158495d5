package io.e6link.endpointservicevalidation;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.DescribeVpcEndpointConnectionsResponse;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.UnsuccessfulItem;
import software.amazon.awssdk.services.ec2.model.VpcEndpointConnection;

/** {@link EndpointConnections} on the EC2 API. */
final class Ec2EndpointConnections implements EndpointConnections {
    private final Ec2Client ec2;

    Ec2EndpointConnections(Ec2Client ec2) {
        this.ec2 = ec2;
    }

    @Override
    public List<EndpointConnection> list(String serviceId) {
        List<EndpointConnection> connections = new ArrayList<>();
        String token = null;
        do {
            String page = token;
            DescribeVpcEndpointConnectionsResponse response = ec2.describeVpcEndpointConnections(request -> request
                    .filters(Filter.builder().name("service-id").values(serviceId).build())
                    .nextToken(page));
            response.vpcEndpointConnections().stream()
                    // The filter is the service's contract; checking again costs nothing and guards a foreign row.
                    .filter(connection -> connection.serviceId() == null || serviceId.equals(connection.serviceId()))
                    .map(Ec2EndpointConnections::translate)
                    .forEach(connections::add);
            token = response.nextToken();
        } while (token != null && !token.isEmpty());
        return connections;
    }

    @Override
    public Map<String, String> accept(String serviceId, Collection<String> endpointIds) {
        return failures(ec2.acceptVpcEndpointConnections(request -> request.serviceId(serviceId).vpcEndpointIds(endpointIds))
                .unsuccessful());
    }

    @Override
    public Map<String, String> reject(String serviceId, Collection<String> endpointIds) {
        return failures(ec2.rejectVpcEndpointConnections(request -> request.serviceId(serviceId).vpcEndpointIds(endpointIds))
                .unsuccessful());
    }

    static EndpointConnection translate(VpcEndpointConnection connection) {
        return new EndpointConnection(connection.vpcEndpointId(), connection.vpcEndpointOwner(), connection.vpcEndpointStateAsString());
    }

    static Map<String, String> failures(List<UnsuccessfulItem> unsuccessful) {
        Map<String, String> failures = new LinkedHashMap<>();
        for (UnsuccessfulItem item : unsuccessful) {
            String code = item.error() == null ? "Unknown" : item.error().code();
            String message = item.error() == null ? "" : item.error().message();
            failures.put(item.resourceId(), code + ": " + message);
        }
        return failures;
    }
}
