package io.e6link.securitygroupingressrules;

import static org.assertj.core.api.Assertions.assertThat;

import io.e6link.testing.Events;
import io.e6link.testing.Moto;
import io.e6link.testing.MotoClients;
import io.e6link.testing.MotoExtension;
import io.e6link.testing.PackagedFunction;
import io.e6link.testing.ResponseRecorder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.SecurityGroupRule;

/** The packaged zip plus the kit layer, run by the Lambda runtime interface client against moto. */
@ExtendWith(MotoExtension.class)
class SecurityGroupIngressRulesFunctionIT {

    @Test
    void packagedFunctionAdoptsAddsAndRevokesRulesAsLambdaRunsIt(Moto moto) {
        Ec2Client ec2 = new MotoClients(moto).ec2();
        String vpcId = ec2.createVpc(r -> r.cidrBlock("10.0.0.0/16")).vpc().vpcId();
        String groupId = ec2.createSecurityGroup(r -> r.groupName("cluster").description("cluster").vpcId(vpcId)).groupId();
        ec2.authorizeSecurityGroupIngress(r -> r.groupId(groupId)
                .ipPermissions(p -> p.ipProtocol("tcp").fromPort(443).toPort(443).ipRanges(i -> i.cidrIp("10.200.0.0/16"))));
        Map<String, Object> properties = Map.of("GroupId", groupId, "Cidrs", List.of("10.200.0.0/16", "10.201.0.0/16"));

        try (ResponseRecorder recorder = new ResponseRecorder();
             PackagedFunction function = PackagedFunction.fromTemplate("SecurityGroupRulesFunction").endpoint(moto).start()) {
            PackagedFunction.Invocation create = function.invoke(Events.json(
                    Events.prepare("security-group-ingress-rules/create.json", recorder.newUrl(), properties)));
            ResponseRecorder.Put created = recorder.await(Duration.ofSeconds(5));

            assertThat(create.error()).as(function.logs()).isFalse();
            assertThat(created.status()).as(function.logs()).isEqualTo("SUCCESS");
            assertThat(created.physicalResourceId()).isEqualTo(groupId + ":tcp:443");
            assertThat(created.data()).containsEntry("AdoptedCidrs", "10.200.0.0/16");
            assertThat(inbound(ec2, groupId)).extracting(SecurityGroupRule::cidrIpv4).containsExactlyInAnyOrder("10.200.0.0/16", "10.201.0.0/16");

            Map<String, Object> deleteEvent = Events.prepare("security-group-ingress-rules/delete.json", recorder.newUrl(), properties);
            deleteEvent.put("PhysicalResourceId", created.physicalResourceId());
            function.invoke(Events.json(deleteEvent));
            ResponseRecorder.Put deleted = recorder.await(Duration.ofSeconds(5));

            assertThat(deleted.status()).as(function.logs()).isEqualTo("SUCCESS");
            assertThat(inbound(ec2, groupId)).extracting(SecurityGroupRule::cidrIpv4).containsExactly("10.200.0.0/16");
            assertThat(function.logs()).contains("\"outcome\":\"SUCCESS\"").doesNotContain("X-Amz-Signature");
        }
    }

    private static List<SecurityGroupRule> inbound(Ec2Client ec2, String groupId) {
        return ec2.describeSecurityGroupRules(r -> r.filters(f -> f.name("group-id").values(groupId))).securityGroupRules()
                .stream().filter(rule -> !rule.isEgress()).toList();
    }
}
