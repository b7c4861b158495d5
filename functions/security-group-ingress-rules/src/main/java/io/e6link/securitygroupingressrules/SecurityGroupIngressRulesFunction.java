package io.e6link.securitygroupingressrules;

import io.e6link.kit.AwsClients;
import io.e6link.kit.CustomResourceFunction;
import software.amazon.awssdk.services.ec2.Ec2Client;

/** Lambda entry point for {@code Custom::SecurityGroupIngressRules}. */
public final class SecurityGroupIngressRulesFunction extends CustomResourceFunction {
    public SecurityGroupIngressRulesFunction() {
        super(SecurityGroupIngressRulesResource.TYPE, () -> new SecurityGroupIngressRulesResource(AwsClients.build(Ec2Client.builder())));
    }
}
