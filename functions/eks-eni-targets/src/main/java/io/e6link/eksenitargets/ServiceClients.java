package io.e6link.eksenitargets;

import io.e6link.kit.AwsClients;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.eks.EksClient;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;

/** The three clients both handlers of this module use. */
record ServiceClients(EksClient eks, Ec2Client ec2, ElasticLoadBalancingV2Client elb) {

    /** The custom resource's clients: implicit denies retried through IAM's propagation window. */
    static ServiceClients fromEnvironment() {
        return new ServiceClients(AwsClients.build(EksClient.builder()), AwsClients.build(Ec2Client.builder()),
                AwsClients.build(ElasticLoadBalancingV2Client.builder()));
    }

    /** The reconciler's clients: a denial is reported at once, the next scheduled run is the retry. */
    static ServiceClients forSchedule() {
        return new ServiceClients(AwsClients.buildScheduled(EksClient.builder()), AwsClients.buildScheduled(Ec2Client.builder()),
                AwsClients.buildScheduled(ElasticLoadBalancingV2Client.builder()));
    }
}
