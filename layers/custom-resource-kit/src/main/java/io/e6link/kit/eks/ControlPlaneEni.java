package io.e6link.kit.eks;

/** One EKS control-plane network interface: the IP the NLB targets, and where it sits. */
public record ControlPlaneEni(String id, String privateIp, String subnetId, String availabilityZone, String vpcId) {
}
