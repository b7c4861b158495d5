package io.e6link.preflight;

import io.e6link.kit.InvalidPropertyException;
import io.e6link.oidcprovider.OidcProviderProperties;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.GetOpenIdConnectProviderResponse;
import software.amazon.awssdk.services.iam.model.OpenIDConnectProviderListEntry;
import software.amazon.awssdk.services.iam.model.Tag;

/**
 * Runbook step 0 as {@code Custom::OidcProvider} will do it: IAM holds one provider per issuer URL,
 * found by listing the providers and comparing issuers as the resource does ({@link OidcProviderProperties#normalise}:
 * scheme, trailing slash and host case do not matter); an existing one is adopted, a missing one created unless {@code ManageOidcProvider=false}.
 */
public final class OidcCheck {
    static final String MANAGE = "ManageOidcProvider";
    static final String CLIENT_ID = "sts.amazonaws.com";
    /** IAM's quota of OIDC providers per account; the stack's create fails with LimitExceeded past it. */
    static final int PROVIDER_QUOTA = 100;
    private static final String OWNER_TAG = "e6link:owner";

    private final IamClient iam;

    OidcCheck(IamClient iam) {
        this.iam = iam;
    }

    void run(Options options, Optional<ClusterFacts> facts, Section section) {
        if (facts.isEmpty()) {
            section.unchecked("Not checked: the issuer comes from the EKS cluster.");
            return;
        }
        String name = facts.get().cluster().name();
        String issuerUrl = facts.get().cluster().oidcIssuer();
        boolean manage = options.manageOidcProvider();
        if (issuerUrl == null || issuerUrl.isBlank()) {
            if (manage) {
                section.blocker("EKS cluster '" + name + "' reports no OIDC issuer, so the stack can neither adopt nor create its IAM OIDC provider; "
                        + "set " + MANAGE + "=false.", MANAGE);
            } else {
                section.ok("EKS cluster '" + name + "' reports no OIDC issuer, and " + MANAGE + "=false leaves IAM alone.");
            }
            return;
        }
        String issuer;
        try {
            issuer = OidcProviderProperties.normalise(issuerUrl);
        } catch (InvalidPropertyException refused) {
            section.blocker("EKS cluster '" + name + "' reports the OIDC issuer '" + issuerUrl + "', which Custom::OidcProvider refuses: "
                    + refused.getMessage(), MANAGE);
            return;
        }
        try {
            List<OpenIDConnectProviderListEntry> providers = Unreadable.read("iam:ListOpenIDConnectProviders",
                    () -> iam.listOpenIDConnectProviders().openIDConnectProviderList());
            Optional<String> existing = providers.stream().map(OpenIDConnectProviderListEntry::arn)
                    .filter(arn -> arn.contains(":oidc-provider/") && OidcProviderProperties.normalise(arn.substring(arn.indexOf(":oidc-provider/") + 15)).equals(issuer))
                    .findFirst();
            if (existing.isPresent()) {
                adopted(existing.get(), manage, section);
            } else if (!manage) {
                section.add(Finding.warning("No IAM OIDC provider exists for issuer https://" + issuer + " and " + MANAGE
                        + "=false, so none is created; IAM roles for service accounts on the cluster need one (eksctl utils associate-iam-oidc-provider --cluster "
                        + name + " --approve).", MANAGE));
            } else if (providers.size() >= PROVIDER_QUOTA) {
                section.blocker("This account already has " + providers.size() + " IAM OIDC providers, IAM's quota, so the stack cannot create one for https://"
                        + issuer + "; delete an unused provider, or set " + MANAGE + "=false and create it yourself.", MANAGE);
            } else {
                section.ok("No IAM OIDC provider exists for issuer https://" + issuer + ": the stack creates one (client ID " + CLIENT_ID
                        + ", tagged " + OWNER_TAG + ") and deletes it with the stack, or set " + MANAGE + "=false to leave IAM alone.");
            }
        } catch (Unreadable unreadable) {
            section.unchecked("Could not check the IAM OIDC provider for https://" + issuer + ": " + unreadable.reason() + ".");
        }
    }

    private void adopted(String arn, boolean manage, Section section) {
        if (!manage) {
            section.ok("IAM OIDC provider " + arn + " exists for the cluster's issuer; " + MANAGE + "=false leaves it alone.");
            return;
        }
        section.ok("IAM OIDC provider " + arn + " exists for the cluster's issuer: the stack adopts it and never changes or deletes it.");
        GetOpenIdConnectProviderResponse provider;
        try {
            provider = Unreadable.read("iam:GetOpenIDConnectProvider", () -> iam.getOpenIDConnectProvider(b -> b.openIDConnectProviderArn(arn)));
        } catch (Unreadable unreadable) {
            section.unchecked("Could not read the provider's client IDs and tags: " + unreadable.reason() + ".");
            return;
        }
        if (!provider.clientIDList().contains(CLIENT_ID)) {
            section.warning("The provider lacks client ID " + CLIENT_ID + " and the stack leaves it unchanged; add it "
                    + "(aws iam add-client-id-to-open-id-connect-provider) if roles for service accounts need it.");
        }
        provider.tags().stream().filter(tag -> OWNER_TAG.equals(tag.key())).map(Tag::value).findFirst().ifPresent(owner ->
                section.warning("The provider was created by another e6link stack (" + OWNER_TAG + "=" + owner
                        + "), which deletes it when that stack is deleted; this stack only adopts it."));
    }
}
