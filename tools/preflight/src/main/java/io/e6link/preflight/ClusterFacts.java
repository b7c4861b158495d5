package io.e6link.preflight;

import io.e6link.kit.eks.EksCluster;
import java.util.List;
import software.amazon.awssdk.services.ec2.model.Subnet;

/**
 * What the later checks need from the cluster, as the stack's discovery resource would return it.
 *
 * @param securityGroupId      the cluster security group, or null when none was found (already a blocker)
 * @param privateRouteTableIds the route tables of the private cluster subnets (discovery's RouteTableIds)
 * @param nlbSubnets           the subnets the NLB would take (discovery's SubnetIds); empty is already a blocker
 * @param eniSubnets           the cluster subnets holding control-plane ENIs (all cluster subnets when no ENI was read):
 *                             where the NLB's health checks go
 * @param sharedBy             the VPC owner's account when the VPC is shared with this one (AWS RAM), else null
 */
record ClusterFacts(EksCluster cluster, String vpcId, String securityGroupId, List<String> privateRouteTableIds, List<Subnet> nlbSubnets,
                    List<Subnet> eniSubnets, String sharedBy) {
}
