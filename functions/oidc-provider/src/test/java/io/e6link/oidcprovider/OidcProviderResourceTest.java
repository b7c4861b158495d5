package io.e6link.oidcprovider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

import io.e6link.kit.CustomResourceFunction;
import io.e6link.kit.Ownership;
import io.e6link.testing.CustomResourceHarness;
import io.e6link.testing.Moto;
import io.e6link.testing.MotoClients;
import io.e6link.testing.MotoExtension;
import io.e6link.testing.TestTiers;
import io.e6link.testing.ResponseRecorder.Put;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.mockito.AdditionalAnswers;
import org.mockito.MockMakers;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.CreateOpenIdConnectProviderRequest;
import software.amazon.awssdk.services.iam.model.GetOpenIdConnectProviderResponse;
import software.amazon.awssdk.services.iam.model.LimitExceededException;
import software.amazon.awssdk.services.iam.model.ListOpenIdConnectProvidersResponse;
import software.amazon.awssdk.services.iam.model.Tag;

@org.junit.jupiter.api.Tag(TestTiers.EMULATED)
@ExtendWith(MotoExtension.class)
class OidcProviderResourceTest {
    private static final String EVENT = "oidc-provider/create.json";
    private static final String ISSUER = "https://oidc.eks.us-east-1.amazonaws.com/id/ABCDEF0123456789";
    private static final String ARN = "arn:aws:iam::" + MotoClients.ACCOUNT_ID + ":oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/ABCDEF0123456789";

    private IamClient iam;
    private CustomResourceHarness harness;

    @BeforeEach
    void setUp(Moto moto) {
        iam = new MotoClients(moto).iam();
        harness = new CustomResourceHarness(function(iam));
    }

    @AfterEach
    void tearDown() {
        harness.close();
    }

    /** An id CloudFormation makes up when a Create's answer never arrived: {@code <stack>-<LogicalId>-<12 random>}. */
    private static final String MADE_UP_ID = "e6link-it-OidcProvider-ABCDEF123456";

    /** Forwards to moto except where a test stubs a fault (subclass mock maker: fast on a loaded machine). */
    private IamClient delegatingMock() {
        return mock(IamClient.class, withSettings().mockMaker(MockMakers.SUBCLASS).defaultAnswer(AdditionalAnswers.delegatesTo(iam)));
    }

    private static CustomResourceFunction function(IamClient client) {
        return new CustomResourceFunction(OidcProviderResource.TYPE, () -> new OidcProviderResource(client)) { };
    }

    @Test
    void createMakesATaggedProviderAndDeleteRemovesIt() {
        Put created = harness.create(EVENT, Map.of("IssuerUrl", ISSUER + "/"));

        assertThat(created.status()).isEqualTo("SUCCESS");
        assertThat(created.physicalResourceId()).isEqualTo(ARN);
        assertThat(created.data()).containsEntry("Arn", ARN).containsEntry("Adopted", "false");
        GetOpenIdConnectProviderResponse provider = iam.getOpenIDConnectProvider(r -> r.openIDConnectProviderArn(ARN));
        assertThat(provider.clientIDList()).containsExactly("sts.amazonaws.com");
        assertThat(provider.tags()).extracting(Tag::key).contains(Ownership.TAG_KEY);

        Put deleted = harness.delete(EVENT, ARN, Map.of("IssuerUrl", ISSUER));

        assertThat(deleted.status()).isEqualTo("SUCCESS");
        assertThat(iam.listOpenIDConnectProviders().openIDConnectProviderList()).isEmpty();
    }

    @Test
    void deleteLeavesAnAdoptedProviderExactlyAsItWas() {
        iam.createOpenIDConnectProvider(r -> r.url(ISSUER).clientIDList("sts.amazonaws.com", "other-audience")
                .tags(Tag.builder().key("team").value("platform").build()));
        GetOpenIdConnectProviderResponse before = iam.getOpenIDConnectProvider(r -> r.openIDConnectProviderArn(ARN));

        Put created = harness.create(EVENT, Map.of("IssuerUrl", "HTTPS://OIDC.EKS.us-east-1.amazonaws.com/id/ABCDEF0123456789"));
        Put updated = harness.update(EVENT, ARN, Map.of("IssuerUrl", ISSUER, "ClientIds", List.of("sts.amazonaws.com")),
                Map.of("IssuerUrl", ISSUER));
        Put deleted = harness.delete(EVENT, ARN, Map.of("IssuerUrl", ISSUER));

        assertThat(created.data()).containsEntry("Arn", ARN).containsEntry("Adopted", "true");
        assertThat(updated.data()).containsEntry("Adopted", "true");
        assertThat(deleted.status()).isEqualTo("SUCCESS");
        GetOpenIdConnectProviderResponse after = iam.getOpenIDConnectProvider(r -> r.openIDConnectProviderArn(ARN));
        assertThat(after.clientIDList()).containsExactlyInAnyOrderElementsOf(before.clientIDList());
        assertThat(after.tags()).containsExactlyInAnyOrderElementsOf(before.tags());
    }

    @Test
    @SuppressWarnings("unchecked")
    void updateChangesClientIdsOfAnOwnedProvider() {
        // moto does not implement Add/RemoveClientIDToOpenIDConnectProvider: Mockito stands in for IAM.
        IamClient mockIam = mock(IamClient.class);
        String owner = io.e6link.kit.Ownership.ownerValue(
                "arn:aws:cloudformation:us-east-1:123456789012:stack/e6link/00000000-0000-0000-0000-000000000000", "OidcProvider");
        when(mockIam.getOpenIDConnectProvider(any(Consumer.class))).thenReturn(GetOpenIdConnectProviderResponse.builder()
                .clientIDList("sts.amazonaws.com", "retired").tags(Tag.builder().key(Ownership.TAG_KEY).value(owner).build()).build());
        try (CustomResourceHarness mocked = new CustomResourceHarness(function(mockIam))) {
            Put updated = mocked.update(EVENT, ARN, Map.of("IssuerUrl", ISSUER, "ClientIds", List.of("sts.amazonaws.com", "e6data")),
                    Map.of("IssuerUrl", ISSUER, "ClientIds", List.of("sts.amazonaws.com", "retired")));

            assertThat(updated.status()).as(updated.reason()).isEqualTo("SUCCESS");
            assertThat(updated.physicalResourceId()).isEqualTo(ARN);
            org.mockito.Mockito.verify(mockIam).getOpenIDConnectProvider(any(Consumer.class));
            org.mockito.Mockito.verify(mockIam).addClientIDToOpenIDConnectProvider(any(Consumer.class));
            org.mockito.Mockito.verify(mockIam).removeClientIDFromOpenIDConnectProvider(any(Consumer.class));
            org.mockito.Mockito.verifyNoMoreInteractions(mockIam);
        }
    }

    @Test
    void updateToAnotherIssuerReturnsTheNewProviderSoCloudFormationReplacesTheOld() {
        harness.create(EVENT, Map.of("IssuerUrl", ISSUER));
        String other = "https://oidc.eks.us-east-1.amazonaws.com/id/FEDCBA9876543210";

        Put updated = harness.update(EVENT, ARN, Map.of("IssuerUrl", other), Map.of("IssuerUrl", ISSUER));

        assertThat(updated.physicalResourceId()).endsWith("/id/FEDCBA9876543210");
        assertThat(iam.listOpenIDConnectProviders().openIDConnectProviderList()).hasSize(2);
    }

    @Test
    void invalidIssuerFailsNamingThePropertyAndRollbackDeleteIsANoOp() {
        Put created = harness.create(EVENT, Map.of("IssuerUrl", "http://oidc.example.com/id/1"));

        assertThat(created.status()).isEqualTo("FAILED");
        assertThat(created.reason()).isEqualTo("Property IssuerUrl (the OIDC issuer of the cluster named by ClusterName) has invalid value "
                + "'http://oidc.example.com/id/1': an https:// URL is required.");
        assertThat(created.physicalResourceId()).startsWith(CustomResourceFunction.FAILED_CREATE_ID_PREFIX);
        Put rollback = harness.delete(EVENT, created.physicalResourceId(), Map.of("IssuerUrl", "http://oidc.example.com/id/1"));
        assertThat(rollback.status()).isEqualTo("SUCCESS");
        assertThat(iam.listOpenIDConnectProviders().openIDConnectProviderList()).isEmpty();
    }

    @Test
    void deleteSucceedsWhenTheProviderIsAlreadyGone() {
        Put deleted = harness.delete(EVENT, ARN, Map.of("IssuerUrl", ISSUER));

        assertThat(deleted.status()).isEqualTo("SUCCESS");
        assertThat(deleted.physicalResourceId()).isEqualTo(ARN);
    }

    @Test
    @SuppressWarnings("unchecked")
    void providerLimitFailsWithAReasonTheCustomerCanActOn() {
        IamClient limited = mock(IamClient.class);
        when(limited.listOpenIDConnectProviders()).thenReturn(ListOpenIdConnectProvidersResponse.builder().build());
        when(limited.createOpenIDConnectProvider(any(Consumer.class)))
                .thenThrow(LimitExceededException.builder().message("Cannot exceed quota for OpenIdConnectProvidersPerAccount: 100").build());
        try (CustomResourceHarness limitedHarness = new CustomResourceHarness(function(limited))) {
            Put created = limitedHarness.create(EVENT, Map.of("IssuerUrl", ISSUER));

            assertThat(created.status()).isEqualTo("FAILED");
            assertThat(created.reason()).contains("maximum number of IAM OIDC providers").contains("ManageOidcProvider=false");
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void thumbprintRequirementFailsSayingHowToProceed() {
        IamClient strict = mock(IamClient.class);
        when(strict.listOpenIDConnectProviders()).thenReturn(ListOpenIdConnectProvidersResponse.builder().build());
        when(strict.createOpenIDConnectProvider(any(Consumer.class))).thenThrow(software.amazon.awssdk.services.iam.model.InvalidInputException
                .builder().message("Thumbprint list must contain at least one entry.").build());
        try (CustomResourceHarness strictHarness = new CustomResourceHarness(function(strict))) {
            Put created = strictHarness.create(EVENT, Map.of("IssuerUrl", ISSUER));

            assertThat(created.status()).isEqualTo("FAILED");
            assertThat(created.reason()).contains("requires a thumbprint").contains("it will be adopted");
            org.mockito.Mockito.verify(strict).listOpenIDConnectProviders();
            org.mockito.Mockito.verify(strict).createOpenIDConnectProvider(any(Consumer.class));
            org.mockito.Mockito.verifyNoMoreInteractions(strict);
        }
    }

    // ---- CloudFormation's real lifecycle: made-up ids, failed-Create placeholders, redelivery ----

    @Test
    void deleteWithAnIdCloudFormationMadeUpRemovesTheProviderThisStackCreated() {
        Put created = harness.create(EVENT, Map.of("IssuerUrl", ISSUER));
        assertThat(created.data()).containsEntry("Adopted", "false");

        // The Create's answer was lost: CloudFormation deletes with an id it made up, not the ARN.
        Put deleted = harness.delete(EVENT, MADE_UP_ID, Map.of("IssuerUrl", ISSUER));

        assertThat(deleted.status()).as(deleted.reason()).isEqualTo("SUCCESS");
        assertThat(deleted.physicalResourceId()).isEqualTo(MADE_UP_ID);
        assertThat(iam.listOpenIDConnectProviders().openIDConnectProviderList()).isEmpty();
    }

    @Test
    void deleteWithAnIdCloudFormationMadeUpNeverTouchesAnAdoptedProvider() {
        iam.createOpenIDConnectProvider(r -> r.url(ISSUER).clientIDList("sts.amazonaws.com")
                .tags(Tag.builder().key("team").value("platform").build()));
        GetOpenIdConnectProviderResponse before = iam.getOpenIDConnectProvider(r -> r.openIDConnectProviderArn(ARN));
        Put created = harness.create(EVENT, Map.of("IssuerUrl", ISSUER));

        Put deleted = harness.delete(EVENT, MADE_UP_ID, Map.of("IssuerUrl", ISSUER));

        assertThat(created.data()).containsEntry("Adopted", "true");
        assertThat(deleted.status()).as(deleted.reason()).isEqualTo("SUCCESS");
        GetOpenIdConnectProviderResponse after = iam.getOpenIDConnectProvider(r -> r.openIDConnectProviderArn(ARN));
        assertThat(after.clientIDList()).containsExactlyInAnyOrderElementsOf(before.clientIDList());
        assertThat(after.tags()).containsExactlyInAnyOrderElementsOf(before.tags());
    }

    @Test
    void deleteWithAMadeUpIdLeavesAProviderOwnedByAnotherStackAlone() {
        String otherOwner = Ownership.ownerValue("arn:aws:cloudformation:us-east-1:123456789012:stack/other/11111111-1111-1111-1111-111111111111", "OidcProvider");
        iam.createOpenIDConnectProvider(r -> r.url(ISSUER).clientIDList("sts.amazonaws.com")
                .tags(Tag.builder().key(Ownership.TAG_KEY).value(otherOwner).build()));

        Put deleted = harness.delete(EVENT, MADE_UP_ID, Map.of("IssuerUrl", ISSUER));

        assertThat(deleted.status()).as(deleted.reason()).isEqualTo("SUCCESS");
        assertThat(iam.listOpenIDConnectProviders().openIDConnectProviderList()).hasSize(1);
    }

    @Test
    @SuppressWarnings("unchecked")
    void aCreateThatFailedAfterCreatingTheProviderIsCleanedUpByTheRollbackDelete() {
        // IAM created the provider but the answer never reached the function (connection reset).
        IamClient lossy = delegatingMock();
        org.mockito.Mockito.doAnswer(call -> {
            iam.createOpenIDConnectProvider(call.<Consumer<CreateOpenIdConnectProviderRequest.Builder>>getArgument(0));
            throw SdkClientException.create("Unable to execute HTTP request: Connection reset");
        }).when(lossy).createOpenIDConnectProvider(any(Consumer.class));
        Put created;
        try (CustomResourceHarness lossyHarness = new CustomResourceHarness(function(lossy))) {
            created = lossyHarness.create(EVENT, Map.of("IssuerUrl", ISSUER));
        }
        assertThat(created.status()).isEqualTo("FAILED");
        assertThat(created.physicalResourceId()).startsWith(CustomResourceFunction.FAILED_CREATE_ID_PREFIX);
        assertThat(iam.getOpenIDConnectProvider(r -> r.openIDConnectProviderArn(ARN)).tags()).extracting(Tag::key).contains(Ownership.TAG_KEY);

        Put rollback = harness.delete(EVENT, created.physicalResourceId(), Map.of("IssuerUrl", ISSUER));

        assertThat(rollback.status()).as(rollback.reason()).isEqualTo("SUCCESS");
        assertThat(rollback.physicalResourceId()).isEqualTo(created.physicalResourceId());
        assertThat(iam.listOpenIDConnectProviders().openIDConnectProviderList()).isEmpty();
    }

    @Test
    void aRedeliveredCreateReusesTheProviderItMadeAndStillOwnsIt() {
        Put first = harness.create(EVENT, Map.of("IssuerUrl", ISSUER));
        Put second = harness.create(EVENT, Map.of("IssuerUrl", ISSUER));

        assertThat(second.status()).as(second.reason()).isEqualTo("SUCCESS");
        assertThat(second.physicalResourceId()).isEqualTo(first.physicalResourceId()).isEqualTo(ARN);
        assertThat(second.data()).isEqualTo(first.data()).containsEntry("Adopted", "false");
        assertThat(iam.listOpenIDConnectProviders().openIDConnectProviderList()).hasSize(1);

        Put deleted = harness.delete(EVENT, ARN, Map.of("IssuerUrl", ISSUER));
        Put deletedAgain = harness.delete(EVENT, ARN, Map.of("IssuerUrl", ISSUER));

        assertThat(deleted.status()).isEqualTo("SUCCESS");
        assertThat(deletedAgain.status()).as(deletedAgain.reason()).isEqualTo("SUCCESS");
        assertThat(iam.listOpenIDConnectProviders().openIDConnectProviderList()).isEmpty();
    }
}
