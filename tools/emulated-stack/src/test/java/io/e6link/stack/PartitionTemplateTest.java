package io.e6link.stack;

import static org.assertj.core.api.Assertions.assertThat;

import io.e6link.testing.Template;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * template.yaml read as CloudFormation reads it in a China and a GovCloud region: every ARN, host and
 * endpoint service name the resources and outputs carry follows AWS::Partition / AWS::URLSuffix; only
 * the names AWS keeps the same in every partition are literal (service principals, the IRSA audience,
 * CloudTrail's event source; see {@link PartitionMove}).
 */
class PartitionTemplateTest {
    /** Commercial-partition names that are right in every partition (sources in template.yaml's comments). */
    private static final Set<String> SAME_IN_EVERY_PARTITION = Set.of("lambda.amazonaws.com", "sts.amazonaws.com", "ec2.amazonaws.com",
            "servicecatalog.amazonaws.com", "elasticloadbalancing.amazonaws.com",
            // CloudTrail's sourceIPAddress of EKS's own ENI calls (the EniChanged rule): the service principal, as
            // ec2.amazonaws.com is the eventSource; unverified in China (docs/governance.md), where the schedule converges.
            "eks.amazonaws.com");
    /** Service-linked role paths keep the service principal, the same in every partition. */
    private static final Pattern SERVICE_LINKED_ROLE = Pattern.compile("^arn:aws-[a-z-]+:iam::\\d{12}:role/aws-service-role/[a-z.]+\\.amazonaws\\.com/[A-Za-z]+$");
    private static final Pattern COMMERCIAL_ONLY = Pattern.compile("arn:aws:|amazonaws\\.com(?!\\.cn)|console\\.aws\\.amazon\\.com|(?<!cn\\.)com\\.amazonaws\\.");
    private static final Map<String, Object> PARAMETERS = Map.of("ClusterName", "analytics", "E6dataAccountId", "111122223333",
            "E6dataVpcCidrs", "10.200.0.0/16", "E6dataBucketNames", "e6data-lake");

    @Test
    void inChinaNothingTheStackCreatesOrOutputsNamesTheCommercialPartition() {
        assertThat(commercialNames(Template.load(), PartitionMove.CHINA)).isEmpty();
    }

    /** The Service Catalog portfolio in China, given the expanded template's China S3 URL (scripts/release prints it). */
    @Test
    void theServiceCatalogPortfolioTakesAChinaTemplateUrlAndNamesOnlyChina() {
        Template portfolio = Template.load(io.e6link.testing.Events.projectRoot().resolve("service-catalog/portfolio.yaml"));
        StackModel model = new StackModel(portfolio);
        model.setParameters(Map.of("TemplateUrl", "https://e6data-e6link-cn-north-1.s3.cn-north-1.amazonaws.com.cn/e6link/1.0.0/template-expanded.yaml",
                "ProductVersion", "1.0.0", "ArtifactBucketPrefix", "e6data-e6link"), name -> pseudo(name, PartitionMove.CHINA));
        assertThat(commercialNames(portfolio, model, PartitionMove.CHINA)).isEmpty();
    }

    @Test
    void inGovCloudEveryArnCarriesTheGovCloudPartition() {
        assertThat(commercialNames(Template.load(), PartitionMove.GOVCLOUD)).filteredOn(found -> found.contains("arn:aws:")).isEmpty();
    }

    @Test
    void theCheckFindsAnIssuerHostWrittenOutInAPolicy(@TempDir Path dir) throws Exception {
        Path broken = dir.resolve("template.yaml");
        Files.writeString(broken, """
                Resources:
                  Role:
                    Type: AWS::IAM::Role
                    Properties:
                      Policies:
                        - PolicyDocument:
                            Statement:
                              - Resource: !Sub "arn:${AWS::Partition}:iam::${AWS::AccountId}:oidc-provider/oidc.eks.${AWS::Region}.amazonaws.com/id/*"
                """);
        assertThat(commercialNames(Template.load(broken), PartitionMove.CHINA))
                .containsExactly("Role: arn:aws-cn:iam::123456789012:oidc-provider/oidc.eks.cn-north-1.amazonaws.com/id/*");
    }

    @SuppressWarnings("unchecked")
    @ParameterizedTest
    @CsvSource({"aws, us-east-1, amazonaws.com, https://us-east-1.console.aws.amazon.com/cloudwatch/home?region=us-east-1#dashboards:name=e6link-e6link",
            "aws-cn, cn-north-1, amazonaws.com.cn, https://console.amazonaws.cn/cloudwatch/home?region=cn-north-1#dashboards:name=e6link-e6link",
            "aws-us-gov, us-gov-west-1, amazonaws.com, https://console.amazonaws-us-gov.com/cloudwatch/home?region=us-gov-west-1#dashboards:name=e6link-e6link"})
    void theDashboardLinkOpensTheConsoleOfTheStacksPartition(String partition, String region, String urlSuffix, String url) {
        PartitionMove where = new PartitionMove(partition, region, urlSuffix, "unused");
        StackModel model = model(Template.load(), where);
        Map<String, Object> output = (Map<String, Object>) Template.load().section("Outputs").get("DashboardUrl");
        assertThat(model.intrinsics(ref(model, where), (r, a) -> "{" + r + "." + a + "}").resolve(output.get("Value"))).isEqualTo(url);
    }

    /** Every string of every enabled resource's properties and every output, as resolved there, that names the commercial partition. */
    @SuppressWarnings("unchecked")
    private static List<String> commercialNames(Template template, PartitionMove where) {
        return commercialNames(template, model(template, where), where);
    }

    @SuppressWarnings("unchecked")
    private static List<String> commercialNames(Template template, StackModel model, PartitionMove where) {
        Function<String, Object> ref = ref(model, where);
        List<String> found = new ArrayList<>();
        for (String id : template.section("Resources").keySet()) {
            if (model.enabled(id)) {
                collect(id, model.properties(id, ref, (r, a) -> "{" + r + "." + a + "}"), found);
            }
        }
        Map<String, Object> outputs = template.section("Outputs");
        if (outputs != null) {
            outputs.forEach((name, output) -> collect(name, model.intrinsics(ref, (r, a) -> "{" + r + "." + a + "}")
                    .resolve(((Map<String, Object>) output).get("Value")), found));
        }
        return found;
    }

    private static StackModel model(Template template, PartitionMove where) {
        StackModel model = new StackModel(template);
        model.setParameters(template.section("Parameters") == null ? Map.of() : PARAMETERS, name -> pseudo(name, where));
        return model;
    }

    private static Function<String, Object> ref(StackModel model, PartitionMove where) {
        return name -> {
            if (model.parameters().containsKey(name)) {
                return model.parameters().get(name);
            }
            Object pseudo = pseudo(name, where);
            return pseudo != null ? pseudo : "{" + name + "}";
        };
    }

    private static Object pseudo(String name, PartitionMove where) {
        return switch (name) {
            case "AWS::Partition" -> where.partition();
            case "AWS::Region" -> where.region();
            case "AWS::URLSuffix" -> where.urlSuffix();
            case "AWS::AccountId" -> "123456789012";
            case "AWS::StackName" -> "e6link";
            case "AWS::StackId" -> "arn:" + where.partition() + ":cloudformation:" + where.region() + ":123456789012:stack/e6link/0f0e0d0c-0000-4000-8000-000000000000";
            case "AWS::NoValue" -> Intrinsics.NO_VALUE;
            default -> null;
        };
    }

    private static void collect(String where, Object value, List<String> found) {
        if (value instanceof Map<?, ?> map) {
            map.forEach((key, item) -> {
                if (!"Description".equals(key) && !"AlarmDescription".equals(key)) {
                    collect(where, item, found);
                }
            });
        } else if (value instanceof List<?> list) {
            list.forEach(item -> collect(where, item, found));
        } else if (value instanceof String text && !SAME_IN_EVERY_PARTITION.contains(text) && !SERVICE_LINKED_ROLE.matcher(text).matches()
                && COMMERCIAL_ONLY.matcher(text).find()) {
            found.add(where + ": " + text);
        }
    }
}
