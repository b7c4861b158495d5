package io.e6link.oidcprovider;

import io.e6link.kit.PropertySources;
import io.e6link.kit.ResourceProperties;
import java.util.List;

/**
 * @param issuer    the issuer without scheme or trailing slash, as IAM names providers
 *                  ({@code oidc.eks.us-east-1.amazonaws.com/id/ABC})
 * @param clientIds audiences; {@code sts.amazonaws.com} by default (IRSA)
 */
public record OidcProviderProperties(String issuer, List<String> clientIds) {
    static final String DEFAULT_CLIENT_ID = "sts.amazonaws.com";
    /** template.yaml: {@code IssuerUrl: !GetAtt ClusterDiscovery.OidcIssuerUrl}; {@code ClientIds} is a literal. */
    static final PropertySources SOURCES = PropertySources.NONE
            .derived("IssuerUrl", "the OIDC issuer of the cluster named by ClusterName");

    static OidcProviderProperties parse(ResourceProperties given) {
        ResourceProperties properties = given.from(SOURCES);
        String url = properties.requiredString("IssuerUrl");
        List<String> clientIds = properties.stringList("ClientIds", false);
        return new OidcProviderProperties(normalise(url), clientIds.isEmpty() ? List.of(DEFAULT_CLIENT_ID) : clientIds);
    }

    String url() {
        return "https://" + issuer;
    }

    /**
     * The issuer as IAM names its provider: no scheme, no trailing slash, host in lower case, so issuers
     * compare equal regardless of scheme, trailing slash or host case. The preflight compares with it too.
     *
     * @param url an issuer URL ({@code https://oidc.eks.<region>.amazonaws.com/id/<id>}) or an IAM provider name
     * @throws io.e6link.kit.InvalidPropertyException naming IssuerUrl for another scheme than https or a missing host
     */
    public static String normalise(String url) {
        String text = url.trim();
        if (text.regionMatches(true, 0, "https://", 0, 8)) {
            text = text.substring(8);
        } else if (text.contains("://")) {
            throw SOURCES.invalid("IssuerUrl", url, "an https:// URL is required");
        }
        while (text.endsWith("/")) {
            text = text.substring(0, text.length() - 1);
        }
        int slash = text.indexOf('/');
        String host = slash < 0 ? text : text.substring(0, slash);
        if (host.isEmpty() || host.contains(" ")) {
            throw SOURCES.invalid("IssuerUrl", url, "expected https://<host>/<path>");
        }
        return host.toLowerCase() + (slash < 0 ? "" : text.substring(slash));
    }
}
