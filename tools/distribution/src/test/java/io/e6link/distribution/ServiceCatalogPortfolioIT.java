package io.e6link.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import io.e6link.testing.Events;
import io.e6link.testing.Moto;
import io.e6link.testing.MotoExtension;
import io.e6link.testing.Template;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * service-catalog/portfolio.yaml as an administrator shares it: a launch constraint by {@code LocalRoleName}
 * (account-agnostic, so the portfolio can be shared), the same template creating only the named launch role in
 * the accounts it is shared with, TagOptions on the portfolio, a trust policy without conditions Service Catalog
 * does not set, and scripts/release refusing the regions where the portfolio's resource types do not exist.
 */
@ExtendWith(MotoExtension.class)
class ServiceCatalogPortfolioIT {
    private static final Path PORTFOLIO = Events.projectRoot().resolve("service-catalog/portfolio.yaml");

    @Test
    @SuppressWarnings("unchecked")
    void theLaunchConstraintNamesTheLaunchRoleByLocalRoleNameSoSharedAccountsUseTheirOwnRole() {
        Template portfolio = Template.load(PORTFOLIO);

        // AWS::ServiceCatalog::LaunchRoleConstraint: RoleArn or LocalRoleName, not both; LocalRoleName makes the
        // constraint account-agnostic, and the role must exist in this account when the constraint is created.
        Map<String, Object> constraint = portfolio.properties("LaunchRoleConstraint");
        assertThat(constraint).containsEntry("LocalRoleName", Map.of("Ref", "LaunchRoleName")).doesNotContainKey("RoleArn");
        assertThat(portfolio.properties("LaunchRole")).containsEntry("RoleName", Map.of("Ref", "LaunchRoleName"));
        assertThat((List<String>) portfolio.resource("LaunchRoleConstraint").get("DependsOn")).contains("LaunchRole", "ProductAssociation");
        assertThat(Pattern.matches((String) ((Map<String, Object>) portfolio.section("Parameters").get("LaunchRoleName")).get("AllowedPattern"),
                (String) ((Map<String, Object>) portfolio.section("Parameters").get("LaunchRoleName")).get("Default"))).isTrue();

        // CreatePortfolio=false (an account the portfolio is shared with) creates the launch role and nothing else.
        portfolio.section("Resources").forEach((id, value) -> {
            Object condition = ((Map<String, Object>) value).get("Condition");
            if ("LaunchRole".equals(id)) {
                assertThat(condition).as(id).isNull();
            } else {
                assertThat(condition).as(id + " must not exist with CreatePortfolio=false").isNotNull();
                assertThat(impliesPortfolioAccount(portfolio, (String) condition)).as(id + "'s condition " + condition).isTrue();
            }
        });
        portfolio.section("Outputs").forEach((id, value) ->
                assertThat(((Map<String, Object>) value).get("Condition")).as("output " + id)
                        .isEqualTo("LaunchRoleArn".equals(id) ? null : "IsPortfolioAccount"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void theLaunchRoleTrustsServiceCatalogWithoutAConditionKeyServiceCatalogIsNotDocumentedToSet() {
        Map<String, Object> trust = (Map<String, Object>) Template.load(PORTFOLIO).properties("LaunchRole").get("AssumeRolePolicyDocument");
        List<Map<String, Object>> statements = (List<Map<String, Object>>) trust.get("Statement");

        assertThat(statements).singleElement().satisfies(statement -> {
            assertThat(statement).containsEntry("Effect", "Allow").containsEntry("Action", "sts:AssumeRole")
                    .containsEntry("Principal", Map.of("Service", "servicecatalog.amazonaws.com"))
                    // an absent aws:SourceAccount makes StringEquals false: the launch would fail to assume the role
                    .doesNotContainKey("Condition");
        });
    }

    @Test
    @SuppressWarnings("unchecked")
    void eachTagOptionParameterBecomesATagOptionAssociatedWithThePortfolio() {
        Template portfolio = Template.load(PORTFOLIO);
        for (String n : List.of("1", "2")) {
            Map<String, Object> parameter = (Map<String, Object>) portfolio.section("Parameters").get("TagOption" + n);
            String pattern = (String) parameter.get("AllowedPattern");
            // CloudFormation's AllowedPattern is a Java regular expression; TagOption keys 1-128, values 1-256.
            assertThat(List.of("", "CostCenter=4711", "Owner=platform team", "k=" + "v".repeat(256))).allMatch(value -> Pattern.matches(pattern, value));
            assertThat(List.of("CostCenter", "=4711", "CostCenter=", "a=b=c", "k".repeat(129) + "=v", "k=" + "v".repeat(257)))
                    .noneMatch(value -> Pattern.matches(pattern, value));

            Map<String, Object> tagOption = portfolio.properties("PortfolioTagOption" + n);
            assertThat(portfolio.resource("PortfolioTagOption" + n).get("Type")).isEqualTo("AWS::ServiceCatalog::TagOption");
            assertThat(tagOption.get("Key")).isEqualTo(Map.of("Fn::Select", List.of(0, Map.of("Fn::Split", List.of("=", Map.of("Ref", "TagOption" + n))))));
            assertThat(tagOption.get("Value")).isEqualTo(Map.of("Fn::Select", List.of(1, Map.of("Fn::Split", List.of("=", Map.of("Ref", "TagOption" + n))))));
            assertThat(portfolio.resource("PortfolioTagOption" + n + "Association").get("Type")).isEqualTo("AWS::ServiceCatalog::TagOptionAssociation");
            assertThat(portfolio.properties("PortfolioTagOption" + n + "Association"))
                    .containsEntry("ResourceId", Map.of("Ref", "Portfolio"))
                    .containsEntry("TagOptionId", Map.of("Ref", "PortfolioTagOption" + n));
        }
    }

    @Test
    void theReleaseRefusesTheRegionsWithoutServiceCatalogAndThePortfolioLintsInEveryRegionItAccepts(Moto moto, @TempDir Path temp) {
        // Every region of the aws partition cfn-lint knows, the partition scripts/release publishes to
        ReleaseWorkspace.Result known = ReleaseWorkspace.run(List.of("python3", "-c",
                "import re; from cfnlint.helpers import REGIONS; print(' '.join(r for r in REGIONS "
                        + "if re.match(r'^[a-z]{2}-[a-z]+-[0-9]+$', r) and not r.startswith(('cn-', 'us-gov-', 'us-iso', 'eu-isoe-'))))"));
        assertThat(known.exitCode()).as(known.toString()).isZero();
        List<String> regions = Arrays.asList(known.stdout().trim().split(" "));
        assertThat(regions).contains("us-east-1", "eu-west-1", "mx-central-1").hasSizeGreaterThan(30);

        // When one release names them all
        ReleaseWorkspace workspace = new ReleaseWorkspace(temp, moto);
        ReleaseWorkspace.Result release = workspace.release("--version", "3.0.0", "--bucket-prefix", "acme-e6link", "--regions", String.join(",", regions));

        // Then it stops before S3, naming each region that lacks a type of the portfolio
        assertThat(release.exitCode()).as(release.toString()).isEqualTo(1);
        assertThat(release.stderr()).startsWith("release: nothing was uploaded: ").contains("leave these out of --regions");
        List<String> refused = new ArrayList<>();
        Matcher matcher = Pattern.compile("region ([a-z0-9-]+) has no ([A-Za-z:, ]+)").matcher(release.stderr());
        while (matcher.find()) {
            refused.add(matcher.group(1));
            assertThat(matcher.group(2)).as(matcher.group(1)).contains("AWS::ServiceCatalog::Portfolio");
        }
        // As cfn-lint 1.51 has it: no Service Catalog in these four (E3006 on the portfolio).
        assertThat(refused).containsExactlyInAnyOrder("ap-east-2", "ap-southeast-5", "ap-southeast-7", "mx-central-1");
        assertThat(workspace.dist("3.0.0")).doesNotExist();

        // The portfolio lints in every region the release accepts, and fails in each it refuses
        List<String> accepted = regions.stream().filter(region -> !refused.contains(region)).toList();
        List<String> lintAccepted = new ArrayList<>(List.of("cfn-lint", "--regions"));
        lintAccepted.addAll(accepted);
        lintAccepted.addAll(List.of("--", PORTFOLIO.toString()));
        ReleaseWorkspace.Result lint = ReleaseWorkspace.run(lintAccepted);
        assertThat(lint.exitCode()).as(lint.toString()).isZero();
        List<String> lintRefused = new ArrayList<>(List.of("cfn-lint", "--regions"));
        lintRefused.addAll(refused);
        lintRefused.addAll(List.of("--", PORTFOLIO.toString()));
        ReleaseWorkspace.Result failing = ReleaseWorkspace.run(lintRefused);
        assertThat(failing.exitCode()).isNotZero();
        refused.forEach(region -> assertThat(failing.stdout()).contains("E3006 Resource type 'AWS::ServiceCatalog::Portfolio' does not exist in '" + region + "'"));
    }

    @Test
    void theReleaseRefusesARegionCfnLintDoesNotKnow(Moto moto, @TempDir Path temp) {
        ReleaseWorkspace workspace = new ReleaseWorkspace(temp, moto);

        ReleaseWorkspace.Result release = workspace.release("--version", "3.0.1", "--bucket-prefix", "acme-e6link", "--regions", "us-east-1,us-east-9");

        assertThat(release.exitCode()).as(release.toString()).isEqualTo(1);
        assertThat(release.stderr()).contains("region us-east-9 is unknown to cfn-lint").doesNotContain("region us-east-1");
    }

    /** Whether a condition of the portfolio is IsPortfolioAccount or an Fn::And that includes it. */
    @SuppressWarnings("unchecked")
    private static boolean impliesPortfolioAccount(Template portfolio, String condition) {
        if ("IsPortfolioAccount".equals(condition)) {
            return true;
        }
        Object definition = portfolio.section("Conditions").get(condition);
        return definition instanceof Map<?, ?> map && map.get("Fn::And") instanceof List<?> terms
                && terms.contains(Map.of("Condition", "IsPortfolioAccount"));
    }
}
