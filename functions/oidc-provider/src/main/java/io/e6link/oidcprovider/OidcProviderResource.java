package io.e6link.oidcprovider;

import io.e6link.kit.CustomResource;
import io.e6link.kit.CustomResourceException;
import io.e6link.kit.CustomResourceType;
import io.e6link.kit.Invocation;
import io.e6link.kit.JsonLog;
import io.e6link.kit.Outcome;
import io.e6link.kit.Ownership;
import io.e6link.kit.ResourceTags;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.EntityAlreadyExistsException;
import software.amazon.awssdk.services.iam.model.GetOpenIdConnectProviderResponse;
import software.amazon.awssdk.services.iam.model.InvalidInputException;
import software.amazon.awssdk.services.iam.model.LimitExceededException;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;
import software.amazon.awssdk.services.iam.model.OpenIDConnectProviderListEntry;
import software.amazon.awssdk.services.iam.model.Tag;

/**
 * Step 0 of the runbook: the cluster's IAM OIDC provider. Adopts a provider that already exists for
 * the issuer (most clusters have one) and never deletes or narrows it; creates and tags one
 * otherwise, and deletes only that one.
 *
 * <p>IAM allows one provider per issuer URL, so the issuer finds the provider and its
 * {@code e6link:owner} tag says whose it is. A redelivered Create (or an SDK retry after a lost
 * answer) finds the provider it made by that tag and keeps owning it instead of adopting it. Delete
 * uses the ARN when the physical id is one, and otherwise (a failed Create's placeholder, an id
 * CloudFormation made up) looks the provider up by the issuer in the properties; either way it
 * deletes the provider only when it carries this resource's tag.
 */
final class OidcProviderResource implements CustomResource<OidcProviderProperties> {
    static final CustomResourceType<OidcProviderProperties> TYPE = new CustomResourceType<>("Custom::OidcProvider", OidcProviderProperties::parse);
    private final IamClient iam;
    private final JsonLog log = JsonLog.stdout();

    OidcProviderResource(IamClient iam) {
        this.iam = iam;
    }

    @Override
    public Outcome create(Invocation<OidcProviderProperties> invocation) {
        OidcProviderProperties wanted = invocation.properties();
        invocation.deadline().step("looking for an IAM OIDC provider for " + wanted.issuer());
        Optional<String> existing = findProvider(wanted.issuer());
        if (existing.isPresent()) {
            return existing(existing.get(), wanted, invocation.ownerTag());
        }
        invocation.deadline().step("creating the IAM OIDC provider for " + wanted.issuer());
        try {
            String arn = iam.createOpenIDConnectProvider(request -> request
                    .url(wanted.url())
                    .clientIDList(wanted.clientIds())
                    .tags(ResourceTags.forCreation(invocation).entrySet().stream()
                            .map(tag -> Tag.builder().key(tag.getKey()).value(tag.getValue()).build()).toList())).openIDConnectProviderArn();
            log.info("Created IAM OIDC provider", Map.of("arn", arn));
            return Outcome.of(arn).with("Arn", arn).with("Adopted", false).build();
        } catch (EntityAlreadyExistsException raced) {
            // Created between our list and create: by someone else (adopt it), or by this very
            // request when the SDK retried a create whose first answer was lost (ours: keep owning it).
            return existing(findProvider(wanted.issuer()).orElseThrow(() -> raced), wanted, invocation.ownerTag());
        } catch (LimitExceededException e) {
            throw new CustomResourceException("This account already has the maximum number of IAM OIDC providers; "
                    + "delete an unused one, or set ManageOidcProvider=false and create the provider yourself.", e);
        } catch (InvalidInputException e) {
            if (String.valueOf(e.getMessage()).toLowerCase().contains("thumbprint")) {
                throw new CustomResourceException("IAM requires a thumbprint for issuer " + wanted.url()
                        + " in this partition; create the provider with eksctl or the console and redeploy (it will be adopted).", e);
            }
            throw e;
        }
    }

    @Override
    public Outcome update(Invocation<OidcProviderProperties> invocation) {
        OidcProviderProperties wanted = invocation.properties();
        String arn = invocation.physicalResourceId();
        if (!wanted.issuer().equals(invocation.oldProperties().issuer()) || !arn.endsWith("oidc-provider/" + wanted.issuer())) {
            // A different issuer is a different provider: CloudFormation deletes the old id afterwards.
            return create(invocation);
        }
        Optional<GetOpenIdConnectProviderResponse> provider = describe(arn);
        if (provider.isEmpty()) {
            return create(invocation);
        }
        if (!isOwned(provider.get(), invocation.ownerTag())) {
            return adopted(arn, wanted);
        }
        invocation.deadline().step("updating the client ids of " + arn);
        Set<String> current = new TreeSet<>(provider.get().clientIDList());
        for (String clientId : wanted.clientIds()) {
            if (!current.contains(clientId)) {
                iam.addClientIDToOpenIDConnectProvider(request -> request.openIDConnectProviderArn(arn).clientID(clientId));
            }
        }
        for (String clientId : current) {
            if (!wanted.clientIds().contains(clientId)) {
                iam.removeClientIDFromOpenIDConnectProvider(request -> request.openIDConnectProviderArn(arn).clientID(clientId));
            }
        }
        return Outcome.of(arn).with("Arn", arn).with("Adopted", false).build();
    }

    @Override
    public Outcome delete(Invocation<OidcProviderProperties> invocation) {
        String id = invocation.physicalResourceId();
        Optional<String> arn;
        if (isProviderArn(id)) {
            arn = Optional.of(id);
        } else {
            // Not an id this resource chose: a failed Create's placeholder or one CloudFormation made
            // up after a lost answer. The issuer names the only provider that Create can have made.
            invocation.deadline().step("looking for an IAM OIDC provider for " + invocation.properties().issuer());
            arn = findProvider(invocation.properties().issuer());
        }
        if (arn.isEmpty()) {
            return invocation.sameId().build();
        }
        invocation.deadline().step("deleting the IAM OIDC provider " + arn.get());
        Optional<GetOpenIdConnectProviderResponse> provider = describe(arn.get());
        if (provider.isPresent() && isOwned(provider.get(), invocation.ownerTag())) {
            try {
                iam.deleteOpenIDConnectProvider(request -> request.openIDConnectProviderArn(arn.get()));
                log.info("Deleted IAM OIDC provider", Map.of("arn", arn.get(), "physicalResourceId", id));
            } catch (NoSuchEntityException alreadyGone) {
                // Deleted by someone else (or by the first delivery of this request): the desired end state.
            }
        } else if (provider.isPresent()) {
            log.info("Left adopted IAM OIDC provider in place", Map.of("arn", arn.get()));
        }
        return invocation.sameId().build();
    }

    /** A provider found for the issuer: ours when it carries this resource's tag, adopted otherwise. */
    private Outcome existing(String arn, OidcProviderProperties wanted, String ownerTag) {
        Optional<GetOpenIdConnectProviderResponse> provider = describe(arn);
        if (provider.isPresent() && isOwned(provider.get(), ownerTag)) {
            log.info("Found the IAM OIDC provider this resource created; keeping it", Map.of("arn", arn));
            return Outcome.of(arn).with("Arn", arn).with("Adopted", false).build();
        }
        return adopted(arn, wanted, provider);
    }

    private Outcome adopted(String arn, OidcProviderProperties wanted) {
        return adopted(arn, wanted, describe(arn));
    }

    private Outcome adopted(String arn, OidcProviderProperties wanted, Optional<GetOpenIdConnectProviderResponse> described) {
        described.ifPresent(provider -> {
            List<String> missing = wanted.clientIds().stream().filter(id -> !provider.clientIDList().contains(id)).toList();
            if (!missing.isEmpty()) {
                log.warn("Adopted IAM OIDC provider lacks client ids; it is left unchanged", Map.of("arn", arn, "missingClientIds", missing));
            }
        });
        log.info("Adopted existing IAM OIDC provider", Map.of("arn", arn));
        return Outcome.of(arn).with("Arn", arn).with("Adopted", true).build();
    }

    private Optional<String> findProvider(String issuer) {
        return iam.listOpenIDConnectProviders().openIDConnectProviderList().stream()
                .map(OpenIDConnectProviderListEntry::arn)
                .filter(arn -> {
                    int marker = arn.indexOf(":oidc-provider/");
                    return marker > 0 && OidcProviderProperties.normalise("https://" + arn.substring(marker + 15)).equals(issuer);
                })
                .findFirst();
    }

    private Optional<GetOpenIdConnectProviderResponse> describe(String arn) {
        try {
            return Optional.of(iam.getOpenIDConnectProvider(request -> request.openIDConnectProviderArn(arn)));
        } catch (NoSuchEntityException e) {
            return Optional.empty();
        }
    }

    private static boolean isOwned(GetOpenIdConnectProviderResponse provider, String ownerTag) {
        return provider.tags().stream().anyMatch(tag -> Ownership.isOwnerTag(tag.key(), tag.value(), ownerTag));
    }

    /** {@code arn:<partition>:iam::<account>:oidc-provider/<issuer>}: the ids this resource answers with. */
    static boolean isProviderArn(String id) {
        return id != null && id.startsWith("arn:") && id.contains(":oidc-provider/");
    }
}
