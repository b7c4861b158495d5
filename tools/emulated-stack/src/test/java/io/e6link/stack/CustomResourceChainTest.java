package io.e6link.stack;

import static org.assertj.core.api.Assertions.assertThat;

import io.e6link.stack.CustomResourceChain.Link;
import io.e6link.testing.Template;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CustomResourceChainTest {
    private static final String TEMPLATE = """
            Resources:
              FastFunction: {Type: AWS::Lambda::Function, Properties: {}}
              SlowFunction: {Type: AWS::Lambda::Function, Properties: {}}
              First:
                Type: Custom::First
                Properties: {ServiceToken: !GetAtt FastFunction.Arn}
              Balancer:
                Type: AWS::ElasticLoadBalancingV2::LoadBalancer
                Properties: {Subnets: !GetAtt First.SubnetIds}
              Second:
                Type: Custom::Second
                Properties: {ServiceToken: !GetAtt FastFunction.Arn, Arn: !Ref Balancer}
              Third:
                Type: AWS::CloudFormation::CustomResource
                DependsOn: Second
                Properties: {ServiceToken: !GetAtt FastFunction.Arn}
              Heavy:
                Type: Custom::Heavy
                Properties: {ServiceToken: !GetAtt SlowFunction.Arn}
            """;

    @Test
    void theLongestChainFollowsDependenciesThroughNativeResourcesAndDependsOn(@TempDir Path dir) throws Exception {
        Template template = load(dir);

        assertThat(CustomResourceChain.heaviest(template, function -> 1)).containsExactly(
                new Link("First", "FastFunction"), new Link("Second", "FastFunction"), new Link("Third", "FastFunction"));
    }

    @Test
    void theHeaviestChainWinsOverTheLongestWhenItsFunctionsAreSlower(@TempDir Path dir) throws Exception {
        Template template = load(dir);
        Map<String, Double> seconds = Map.of("FastFunction", 1.0, "SlowFunction", 5.0);

        assertThat(CustomResourceChain.heaviest(template, seconds::get)).containsExactly(new Link("Heavy", "SlowFunction"));
    }

    @Test
    void templateYamlChainsDiscoveryTargetsAndValidationWhenTargetsOutweighIngressRules() {
        Map<String, Double> seconds = Map.of("EndpointValidationFunction", 2.0, "EniTargetsFunction", 1.5);
        var chain = CustomResourceChain.heaviest(Template.load(), function -> seconds.getOrDefault(function, 1.0));

        assertThat(chain).extracting(Link::resourceId).containsExactly("ClusterDiscovery", "EniTargets", "EndpointValidation");
    }

    @Test
    void templateYamlChainsTheBucketPolicyAfterTheGatewayEndpointAfterDiscovery() {
        var chain = CustomResourceChain.heaviest(Template.load(), function -> function.equals("BucketPolicyFunction") ? 2 : 1);

        assertThat(chain).extracting(Link::resourceId).containsExactly("ClusterDiscovery", "S3GatewayEndpoint", "BucketPolicyStatement");
    }

    private static Template load(Path dir) throws Exception {
        Path file = dir.resolve("template.yaml");
        Files.writeString(file, TEMPLATE);
        return Template.load(file);
    }
}
