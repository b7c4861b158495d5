package io.e6link.oidcprovider;

import io.e6link.kit.AwsClients;
import io.e6link.kit.CustomResourceFunction;
import software.amazon.awssdk.services.iam.IamClient;

/** Lambda entry point for {@code Custom::OidcProvider}. */
public final class OidcProviderFunction extends CustomResourceFunction {
    public OidcProviderFunction() {
        super(OidcProviderResource.TYPE, () -> new OidcProviderResource(AwsClients.build(IamClient.builder())));
    }
}
