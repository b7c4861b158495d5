package io.e6link.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.e6link.testing.Template;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The order the emulated stack creates resources in: CloudFormation's rounds of parallel creation (a resource
 * after everything it refers to), never the template's text order, which is laid out for readers.
 */
class StackModelTest {
    /** Listed bottom-up on purpose: the text order is the reverse of any order the resources could be created in. */
    private static final String TEMPLATE = """
            Resources:
              Validation:
                Type: Custom::Validation
                DependsOn: [Listener]
                Properties: {ServiceToken: !GetAtt Function.Arn}
              Listener:
                Type: AWS::ElasticLoadBalancingV2::Listener
                Properties: {LoadBalancerArn: !Ref Balancer}
              Balancer:
                Type: AWS::ElasticLoadBalancingV2::LoadBalancer
                Properties: {Subnets: !GetAtt Discovery.SubnetIds}
              Alarm:
                Type: AWS::CloudWatch::Alarm
                Properties: {AlarmDescription: !Sub "${Discovery.ClusterName}", AlarmActions: [!Ref Topic]}
              Discovery:
                Type: Custom::Discovery
                Properties: {ServiceToken: !GetAtt Function.Arn}
              Function:
                Type: AWS::Lambda::Function
                Properties: {Role: !GetAtt Role.Arn}
              Topic:
                Type: AWS::SNS::Topic
                Properties: {}
              Role:
                Type: AWS::IAM::Role
                Properties: {}
            """;

    @Test
    void resourcesAreCreatedInCloudFormationsRoundsAndByLogicalIdWithinARound(@TempDir Path dir) throws Exception {
        StackModel model = new StackModel(load(dir, TEMPLATE));

        // Round 1: Role, Topic (refer to nothing); 2: Function; 3: Discovery; 4: Alarm, Balancer; 5: Listener; 6: Validation.
        assertThat(model.order()).containsExactly("Role", "Topic", "Function", "Discovery", "Alarm", "Balancer", "Listener", "Validation");
    }

    @Test
    void templateYamlIsCreatedInTheSameOrderHoweverItsResourcesAreLaidOut() {
        Template asWritten = Template.load();
        Template reversed = Template.load();
        reverse(reversed.section("Resources"));

        List<String> order = new StackModel(asWritten).order();

        assertThat(new StackModel(reversed).order()).isEqualTo(order);
        assertThat(order).containsExactlyInAnyOrderElementsOf(asWritten.section("Resources").keySet());
    }

    @Test
    void templateYamlCreatesEveryResourceAfterWhatItRefersTo() {
        StackModel model = new StackModel(Template.load());
        List<String> order = model.order();

        for (String id : order) {
            assertThat(model.dependenciesOf(id)).as("what %s refers to", id).allSatisfy(dependency ->
                    assertThat(order.indexOf(dependency)).as("%s before %s", dependency, id).isLessThan(order.indexOf(id)));
        }
        // The runbook's real dependencies, as CloudFormation reads them from the template.
        assertThat(model.dependenciesOf("OidcProvider")).contains("ClusterDiscovery", "OidcProviderFunction");
        assertThat(model.dependenciesOf("EndpointValidation")).contains("EniTargets", "Listener", "EndpointServicePermissions", "ClusterIngressRules");
        assertThat(model.dependenciesOf("BucketPolicyStatement")).contains("S3GatewayEndpoint");
        assertThat(model.dependenciesOf("ConnectionAcceptanceFunction")).contains("EndpointValidation");
    }

    @Test
    void aCycleIsNamed(@TempDir Path dir) throws Exception {
        Template cycle = load(dir, """
                Resources:
                  Free: {Type: AWS::SNS::Topic, Properties: {}}
                  B: {Type: AWS::SNS::Topic, Properties: {DisplayName: !Ref A}}
                  A: {Type: AWS::SNS::Topic, Properties: {DisplayName: !Ref B}}
                """);

        assertThatThrownBy(() -> new StackModel(cycle)).isInstanceOf(IllegalStateException.class).hasMessage("circular dependency among [A, B]");
    }

    private static void reverse(Map<String, Object> resources) {
        List<String> ids = new ArrayList<>(resources.keySet());
        Collections.reverse(ids);
        Map<String, Object> copy = new LinkedHashMap<>(resources);
        resources.clear();
        ids.forEach(id -> resources.put(id, copy.get(id)));
    }

    private static Template load(Path dir, String text) throws Exception {
        Path file = dir.resolve("template.yaml");
        Files.writeString(file, text);
        return Template.load(file);
    }
}
