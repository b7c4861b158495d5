package io.e6link.eksclusterdiscovery;

import io.e6link.kit.AwsClients;
import io.e6link.kit.CustomResourceFunction;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.eks.EksClient;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;

/** Lambda entry point for {@code Custom::EksClusterDiscovery}. */
public final class EksClusterDiscoveryFunction extends CustomResourceFunction {
    public EksClusterDiscoveryFunction() {
        super(EksClusterDiscoveryResource.TYPE, () -> new EksClusterDiscoveryResource(
                AwsClients.build(EksClient.builder()), AwsClients.build(Ec2Client.builder()),
                AwsClients.build(ElasticLoadBalancingV2Client.builder())));
    }
}
