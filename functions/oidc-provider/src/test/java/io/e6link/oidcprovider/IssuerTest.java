package io.e6link.oidcprovider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.e6link.kit.InvalidPropertyException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * How an issuer URL becomes the name IAM gives its OIDC provider ({@link OidcProviderProperties#normalise}):
 * no scheme, no trailing slash, host in lower case (host names are case-insensitive, paths are not), and
 * which ids are provider ARNs. IAM names a provider {@code arn:aws:iam::<account>:oidc-provider/<issuer
 * without https://>} (IAM User Guide, "Create an OpenID Connect (OIDC) identity provider in IAM",
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_providers_create_oidc.html). No AWS, no moto.
 */
class IssuerTest {
    private static final String ISSUER = "oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE";

    @ParameterizedTest(name = "''{0}''")
    @CsvSource({
            "https://oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE",
            "https://oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE/",
            "https://oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE//",
            "HTTPS://OIDC.EKS.US-EAST-1.AMAZONAWS.COM/id/EXAMPLED539D4633E53DE1B71EXAMPLE",
            "oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE",
            "'  https://oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE  '"})
    void everySpellingOfTheIssuerNamesTheSameProvider(String url) {
        assertThat(OidcProviderProperties.normalise(url)).isEqualTo(ISSUER);
    }

    @ParameterizedTest(name = "''{0}''")
    @CsvSource({"https://oidc.eks.us-east-1.amazonaws.com/id/exampled539d4633e53de1b71example, oidc.eks.us-east-1.amazonaws.com/id/exampled539d4633e53de1b71example",
            "https://issuer.example.com, issuer.example.com"})
    void thePathKeepsItsCase(String url, String issuer) {
        assertThat(OidcProviderProperties.normalise(url)).isEqualTo(issuer);
    }

    @ParameterizedTest(name = "''{0}''")
    @CsvSource(delimiter = '|', textBlock = """
            http://oidc.eks.us-east-1.amazonaws.com/id/ABC  | an https:// URL is required
            ftp://oidc.eks.us-east-1.amazonaws.com/id/ABC   | an https:// URL is required
            https://                                        | expected https://<host>/<path>
            https:///id/ABC                                 | expected https://<host>/<path>
            https://oidc eks/id/ABC                         | expected https://<host>/<path>
            """)
    void anythingElseFailsNamingWhereTheIssuerComesFrom(String url, String expectation) {
        assertThatThrownBy(() -> OidcProviderProperties.normalise(url)).isInstanceOf(InvalidPropertyException.class)
                .hasMessage("Property IssuerUrl (the OIDC issuer of the cluster named by ClusterName) has invalid value '" + url + "': "
                        + expectation + ".");
    }

    @ParameterizedTest(name = "''{0}''")
    @CsvSource({
            "arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/ABC, true",
            "arn:aws-cn:iam::123456789012:oidc-provider/oidc.eks.cn-north-1.amazonaws.com.cn/id/ABC, true",
            "arn:aws:iam::123456789012:saml-provider/corp, false",
            "oidc.eks.us-east-1.amazonaws.com/id/ABC, false",
            "e6link-create-failed-0f7d3a9c-2c4e-4b4a-9d7e-6a1b2c3d4e5f, false",
            ", false"})
    void onlyOidcProviderArnsAreThisResourcesIds(String id, boolean providerArn) {
        assertThat(OidcProviderResource.isProviderArn(id)).isEqualTo(providerArn);
    }
}
