package io.e6link.endpointservicevalidation;

import io.e6link.kit.AwsClients;
import io.e6link.kit.CustomResourceFunction;
import io.e6link.kit.JsonLog;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;

/** Lambda entry point for {@code Custom::EndpointServiceValidation}. */
public final class EndpointServiceValidationFunction extends CustomResourceFunction {
    public EndpointServiceValidationFunction() {
        super(EndpointServiceValidationResource.TYPE, () -> {
            Ec2Client ec2 = AwsClients.build(Ec2Client.builder());
            return new EndpointServiceValidationResource(
                    new PrivateLinkChecks(ec2, AwsClients.build(ElasticLoadBalancingV2Client.builder()), Pacing.LAMBDA),
                    new Ec2EndpointConnections(ec2), Pacing.LAMBDA, JsonLog.stdout());
        });
    }
}
