package io.e6link.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import io.e6link.testing.Events;
import io.e6link.testing.Moto;
import io.e6link.testing.MotoExtension;
import io.e6link.testing.Template;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The files one release writes: the regional SAM template, the transform-free template, the
 * quick-create links, and the Service Catalog launch role measured against the expanded template.
 * One release run serves every test here (these tests read files only, not S3).
 */
@ExtendWith(MotoExtension.class)
class ReleasedTemplatesIT {
    private static final String VERSION = "2.0.1";
    private static final String PREFIX = "acme-e6link";
    private static final Map<String, Object> REGIONAL_BUCKET = Map.of("Fn::Sub", PREFIX + "-${AWS::Region}");
    private static final String LAUNCH_BUTTON = "https://s3.amazonaws.com/cloudformation-examples/cloudformation-launch-stack.png";

    @TempDir
    static Path temp;
    private static ReleaseWorkspace workspace;
    private static ReleaseWorkspace.Result release;

    @BeforeAll
    static void releaseOnce(Moto moto) {
        workspace = new ReleaseWorkspace(temp, moto);
        workspace.createBucket(PREFIX + "-us-east-1", "us-east-1");
        workspace.createBucket(PREFIX + "-ap-southeast-2", "ap-southeast-2");
        release = workspace.release("--version", VERSION, "--bucket-prefix", PREFIX, "--regions", "us-east-1,ap-southeast-2",
                "--stack-name", "e6link-prod", "--param", "E6dataAccountId=111122223333", "--param", "E6dataVpcCidrs=10.10.0.0/16,10.20.0.0/16");
        assertThat(release.exitCode()).as(release.toString()).isZero();
    }

    @Test
    @SuppressWarnings("unchecked")
    void regionalTemplateIsTheProjectTemplateWithCodeInTheRegionalBucketAndTheReleaseVersion() {
        // Given the project's template with the changes the release promises
        Map<String, Object> expected = Template.load().document();
        for (Object value : ((Map<String, Object>) expected.get("Resources")).values()) {
            Map<String, Object> properties = (Map<String, Object>) ((Map<String, Object>) value).get("Properties");
            for (String location : List.of("CodeUri", "ContentUri")) {
                if (properties != null && properties.get(location) instanceof String artifact) {
                    String zip = Template.builtZip(artifact, "ContentUri".equals(location));
                    properties.put(location, Map.of("Bucket", REGIONAL_BUCKET, "Key", ReleaseWorkspace.key(VERSION, zip)));
                }
            }
        }
        // The release version every function logs and every custom resource carries.
        ((Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>) expected.get("Mappings")).get("Release")).get("E6link")).put("Version", VERSION);

        // When
        Map<String, Object> regional = Template.load(workspace.dist(VERSION).resolve("template.yaml")).document();

        // Then nothing else changed: the Transform, parameters and resources are the project's own
        assertThat(regional).isEqualTo(expected);
        assertThat(regional.get("Transform")).isEqualTo("AWS::Serverless-2016-10-31");
    }

    @Test
    @SuppressWarnings("unchecked")
    void expandedTemplateHasNoTransformAndEveryLambdaCodeLocationUsesTheRegionalBucket() {
        Template expanded = Template.load(workspace.dist(VERSION).resolve("template-expanded.yaml"));
        Map<String, Object> resources = expanded.section("Resources");

        assertThat(expanded.document()).doesNotContainKey("Transform");
        List<Object> codeLocations = new ArrayList<>();
        resources.values().forEach(value -> {
            Map<String, Object> resource = (Map<String, Object>) value;
            assertThat((String) resource.get("Type")).doesNotStartWith("AWS::Serverless::");
            Map<String, Object> properties = (Map<String, Object>) resource.get("Properties");
            if ("AWS::Lambda::Function".equals(resource.get("Type"))) {
                codeLocations.add(properties.get("Code"));
            } else if ("AWS::Lambda::LayerVersion".equals(resource.get("Type"))) {
                codeLocations.add(properties.get("Content"));
            }
        });
        long samFunctions = Template.load().section("Resources").values().stream()
                .filter(value -> "AWS::Serverless::Function".equals(((Map<String, Object>) value).get("Type"))).count();
        assertThat(codeLocations).hasSize((int) samFunctions + 1).allSatisfy(location -> {
            Map<String, Object> code = (Map<String, Object>) location;
            assertThat(code.get("S3Bucket")).isEqualTo(REGIONAL_BUCKET);
            assertThat((String) code.get("S3Key")).matches("e6link/2\\.0\\.1/(functions|layers)/[a-z0-9-]+\\.zip");
        });
        assertThat(codeLocations).contains(Map.of("S3Bucket", REGIONAL_BUCKET, "S3Key", "e6link/2.0.1/layers/custom-resource-kit-layer.zip"));
        // Not a Serverless Application Repository app (docs/distribution.md: SAR refuses Custom:: types)
        assertThat(expanded.section("Metadata")).doesNotContainKey("AWS::ServerlessRepo::Application");
    }

    @Test
    void bothGeneratedTemplatesAndTheServiceCatalogPortfolioPassCfnLint() {
        ReleaseWorkspace.Result lint = ReleaseWorkspace.run(List.of("cfn-lint",
                workspace.dist(VERSION).resolve("template.yaml").toString(),
                workspace.dist(VERSION).resolve("template-expanded.yaml").toString(),
                Events.projectRoot().resolve("service-catalog/portfolio.yaml").toString()));

        assertThat(lint.exitCode()).as(lint.toString()).isZero();
    }

    @Test
    void printsAQuickCreateUrlAndLaunchStackSnippetPerRegionAndWritesThemToLaunchLinks() throws IOException {
        String east = "https://us-east-1.console.aws.amazon.com/cloudformation/home?region=us-east-1#/stacks/quickcreate"
                + "?templateURL=https%3A%2F%2Facme-e6link-us-east-1.s3.us-east-1.amazonaws.com%2Fe6link%2F2.0.1%2Ftemplate.yaml"
                + "&stackName=e6link-prod&param_E6dataAccountId=111122223333&param_E6dataVpcCidrs=10.10.0.0%2F16%2C10.20.0.0%2F16";
        String sydney = "https://ap-southeast-2.console.aws.amazon.com/cloudformation/home?region=ap-southeast-2#/stacks/quickcreate"
                + "?templateURL=https%3A%2F%2Facme-e6link-ap-southeast-2.s3.ap-southeast-2.amazonaws.com%2Fe6link%2F2.0.1%2Ftemplate.yaml"
                + "&stackName=e6link-prod&param_E6dataAccountId=111122223333&param_E6dataVpcCidrs=10.10.0.0%2F16%2C10.20.0.0%2F16";

        String links = Files.readString(workspace.dist(VERSION).resolve("launch-links.md"));
        for (String text : List.of(release.stdout(), links)) {
            assertThat(text).contains(
                    "Quick-create URL: " + east + "\n",
                    "[![Launch Stack](" + LAUNCH_BUTTON + ")](" + east + ")",
                    "Quick-create URL: " + sydney + "\n",
                    "[![Launch Stack](" + LAUNCH_BUTTON + ")](" + sydney + ")",
                    "Expanded template URL (Service Catalog, StackSets): https://acme-e6link-ap-southeast-2.s3.ap-southeast-2.amazonaws.com/e6link/2.0.1/template-expanded.yaml");
        }
    }

    /** What CloudFormation calls, as the launch role, to create and delete each resource type. */
    private static final Map<String, List<String>> ACTIONS_BY_TYPE = Map.ofEntries(
            Map.entry("AWS::IAM::Role", List.of("iam:CreateRole", "iam:PutRolePolicy", "iam:GetRole", "iam:PassRole", "iam:DeleteRolePolicy", "iam:DeleteRole")),
            Map.entry("AWS::Lambda::Function", List.of("lambda:CreateFunction", "lambda:GetFunction", "lambda:PutFunctionConcurrency", "lambda:TagResource", "lambda:DeleteFunction", "s3:GetObject", "lambda:GetLayerVersion")),
            Map.entry("AWS::Lambda::LayerVersion", List.of("lambda:PublishLayerVersion", "lambda:DeleteLayerVersion", "s3:GetObject")),
            Map.entry("AWS::Lambda::Permission", List.of("lambda:AddPermission", "lambda:RemovePermission")),
            Map.entry("AWS::Lambda::EventInvokeConfig", List.of("lambda:PutFunctionEventInvokeConfig", "lambda:GetFunctionEventInvokeConfig", "lambda:DeleteFunctionEventInvokeConfig")),
            Map.entry("AWS::Logs::LogGroup", List.of("logs:CreateLogGroup", "logs:PutRetentionPolicy", "logs:DescribeLogGroups", "logs:DeleteLogGroup")),
            Map.entry("AWS::ElasticLoadBalancingV2::LoadBalancer", List.of("elasticloadbalancing:CreateLoadBalancer", "elasticloadbalancing:ModifyLoadBalancerAttributes", "elasticloadbalancing:DescribeLoadBalancers", "elasticloadbalancing:DeleteLoadBalancer", "iam:CreateServiceLinkedRole")),
            Map.entry("AWS::ElasticLoadBalancingV2::TargetGroup", List.of("elasticloadbalancing:CreateTargetGroup", "elasticloadbalancing:ModifyTargetGroupAttributes", "elasticloadbalancing:DeleteTargetGroup")),
            Map.entry("AWS::ElasticLoadBalancingV2::Listener", List.of("elasticloadbalancing:CreateListener", "elasticloadbalancing:DeleteListener")),
            Map.entry("AWS::EC2::VPCEndpointService", List.of("ec2:CreateVpcEndpointServiceConfiguration", "ec2:DescribeVpcEndpointServiceConfigurations", "ec2:DeleteVpcEndpointServiceConfigurations")),
            Map.entry("AWS::EC2::VPCEndpointServicePermissions", List.of("ec2:ModifyVpcEndpointServicePermissions", "ec2:DescribeVpcEndpointServicePermissions")),
            Map.entry("AWS::SNS::Topic", List.of("sns:CreateTopic", "sns:GetTopicAttributes", "sns:DeleteTopic")),
            Map.entry("AWS::SNS::Subscription", List.of("sns:Subscribe", "sns:Unsubscribe")),
            Map.entry("AWS::CloudWatch::Alarm", List.of("cloudwatch:PutMetricAlarm", "cloudwatch:DescribeAlarms", "cloudwatch:DeleteAlarms")),
            Map.entry("AWS::CloudWatch::Dashboard", List.of("cloudwatch:PutDashboard", "cloudwatch:DeleteDashboards")),
            Map.entry("AWS::Events::Rule", List.of("events:PutRule", "events:PutTargets", "events:DescribeRule", "events:RemoveTargets", "events:DeleteRule")),
            Map.entry("Custom::*", List.of("lambda:InvokeFunction")));

    @Test
    @SuppressWarnings("unchecked")
    void serviceCatalogLaunchRoleCanCreateEveryResourceTypeOfTheExpandedTemplateAndWritesNothingOnStar() {
        // Given the resource types the expanded template creates
        Set<String> types = new TreeSet<>();
        Template.load(workspace.dist(VERSION).resolve("template-expanded.yaml")).section("Resources").values()
                .forEach(value -> types.add(((String) ((Map<String, Object>) value).get("Type")).replaceFirst("^Custom::.*", "Custom::*")));
        assertThat(ACTIONS_BY_TYPE.keySet()).as("a new resource type needs launch-role permissions in service-catalog/portfolio.yaml and a row here")
                .containsAll(types);

        // When the launch role's statements are read
        Map<String, Object> role = Template.load(Events.projectRoot().resolve("service-catalog/portfolio.yaml")).properties("LaunchRole");
        Map<String, Object> document = (Map<String, Object>) ((List<Map<String, Object>>) role.get("Policies")).get(0).get("PolicyDocument");
        Set<String> granted = new TreeSet<>();
        Map<String, Object> actionsOnStar = new LinkedHashMap<>();
        for (Map<String, Object> statement : (List<Map<String, Object>>) document.get("Statement")) {
            assertThat(statement.get("Effect")).isEqualTo("Allow");
            List<String> actions = statement.get("Action") instanceof List<?> list ? (List<String>) list : List.of((String) statement.get("Action"));
            granted.addAll(actions);
            if ("*".equals(statement.get("Resource"))) {
                actions.forEach(action -> actionsOnStar.put(action, statement.get("Condition")));
            }
        }

        // Then every type's actions are granted, and on "*" only reads (the S3 read limited to Service Catalog's copy)
        types.forEach(type -> assertThat(granted).as(type).containsAll(ACTIONS_BY_TYPE.get(type)));
        assertThat(actionsOnStar.keySet()).allSatisfy(action ->
                assertThat(action.substring(action.indexOf(':') + 1)).matches("(Describe|Get|List|Validate)[A-Za-z]*"));
        assertThat(actionsOnStar.get("s3:GetObject")).isEqualTo(Map.of("StringEquals", Map.of("s3:ExistingObjectTag/servicecatalog:provisioning", "true")));
    }
}
