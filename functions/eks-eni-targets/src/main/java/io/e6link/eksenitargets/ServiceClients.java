package io.e6link.eksenitargets;

import io.e6link.kit.AwsClients;
import io.e6link.kit.IamPropagationRetry;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.eks.EksClient;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;

/** The three clients both handlers of this module use. */
record ServiceClients(EksClient eks, Ec2Client ec2, ElasticLoadBalancingV2Client elb) {

    /** The custom resource's clients: implicit denies retried through IAM's propagation window. */
    static ServiceClients fromEnvironment() {
        return with(IamPropagationRetry.lambda());
    }

    /** The reconciler's clients: a denial is reported at once, the next scheduled run is the retry. */
    static ServiceClients forSchedule() {
        return with(IamPropagationRetry.scheduled());
    }

    private static ServiceClients with(IamPropagationRetry retry) {
        return new ServiceClients(AwsClients.configure(EksClient.builder(), retry).build(), AwsClients.configure(Ec2Client.builder(), retry).build(),
                AwsClients.configure(ElasticLoadBalancingV2Client.builder(), retry).build());
    }
}
