package io.e6link.oidc;

import static org.assertj.core.api.Assertions.assertThat;

import io.e6link.preflight.OidcCheck;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The preflight finds the provider Custom::OidcProvider adopts: both compare issuers the same way. */
class OidcIssuerConformanceTest {
    @ParameterizedTest
    @ValueSource(strings = {"https://oidc.eks.us-east-1.amazonaws.com/id/ABC123", "https://OIDC.eks.us-east-1.amazonaws.com/id/ABC123/",
            "HTTPS://oidc.eks.eu-west-1.amazonaws.com/id/Mixed/Case//", "https://token.actions.example.com"})
    void issuersNormaliseAlike(String url) {
        assertThat(OidcCheck.normalise(url)).isEqualTo(OidcProviderProperties.normalise(url));
    }
}
