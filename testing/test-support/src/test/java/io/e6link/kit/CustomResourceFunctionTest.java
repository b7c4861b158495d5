package io.e6link.kit;

import static org.assertj.core.api.Assertions.assertThat;

import io.e6link.testing.CustomResourceHarness;
import io.e6link.testing.ResponseRecorder;
import io.e6link.testing.ResponseRecorder.Put;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

/**
 * The kit's promises, each shown through the real entry point ({@code handleRequest}) with the
 * response read back from a loopback stand-in for CloudFormation's presigned URL.
 */
class CustomResourceFunctionTest {
    private static final String EVENT = "oidc-provider/create.json";
    /** Valid when IssuerUrl is a single string; the test reads the rest of the properties itself. */
    private static final CustomResourceType<ResourceProperties> TYPE = new CustomResourceType<>("Custom::Test", properties -> {
        properties.requiredString("IssuerUrl");
        return properties;
    });
    private final ByteArrayOutputStream logBuffer = new ByteArrayOutputStream();
    private final JsonLog log = new JsonLog(new PrintStream(logBuffer, true, StandardCharsets.UTF_8));
    private final List<String> calls = new ArrayList<>();
    private CustomResourceHarness harness;

    @AfterEach
    void tearDown() {
        if (harness != null) {
            harness.close();
        }
    }

    /** A resource whose operations the test scripts; records which operations ran. */
    private final class ScriptedResource implements CustomResource<ResourceProperties> {
        private final Function<Invocation<ResourceProperties>, Outcome> behaviour;

        ScriptedResource(Function<Invocation<ResourceProperties>, Outcome> behaviour) {
            this.behaviour = behaviour;
        }

        @Override
        public Outcome create(Invocation<ResourceProperties> invocation) {
            calls.add("create");
            return behaviour.apply(invocation);
        }

        @Override
        public Outcome update(Invocation<ResourceProperties> invocation) {
            calls.add("update");
            return behaviour.apply(invocation);
        }

        @Override
        public Outcome delete(Invocation<ResourceProperties> invocation) {
            calls.add("delete");
            return behaviour.apply(invocation);
        }
    }

    private CustomResourceHarness harnessFor(Function<Invocation<ResourceProperties>, Outcome> behaviour) {
        CustomResourceFunction function = new CustomResourceFunction(TYPE,
                () -> new ScriptedResource(behaviour), ResponseSender.create(log), log) { };
        harness = new CustomResourceHarness(function);
        return harness;
    }

    private String logs() {
        return logBuffer.toString(StandardCharsets.UTF_8);
    }

    @Test
    void successCarriesDataAndPhysicalIdInOneEmptyContentTypePut() {
        harnessFor(invocation -> Outcome.of("id-1").with("Arn", "arn:x").withList("Ips", List.of("10.0.0.1", "10.0.0.2")).build());

        Put put = harness.create(EVENT, Map.of());

        assertThat(put.status()).isEqualTo("SUCCESS");
        assertThat(put.physicalResourceId()).isEqualTo("id-1");
        assertThat(put.data()).containsEntry("Arn", "arn:x").containsEntry("Ips", "10.0.0.1,10.0.0.2");
        assertThat(put.json()).containsEntry("LogicalResourceId", "OidcProvider").containsEntry("RequestId", "11111111-1111-1111-1111-111111111111");
        assertThat(put.headers().getOrDefault("Content-type", List.of(""))).allMatch(String::isEmpty);
        assertThat(harness.recorder().drain()).as("exactly one response").isEmpty();
    }

    @Test
    void handlerExceptionBecomesFailedWithOneLineReasonAndPlaceholderIdOnCreate() {
        harnessFor(invocation -> {
            throw new IllegalStateException("boom\nsecond line");
        });

        Put put = harness.create(EVENT, Map.of());

        assertThat(put.status()).isEqualTo("FAILED");
        assertThat(put.reason()).contains("IllegalStateException").contains("boom second line").doesNotContain("\n");
        assertThat(put.physicalResourceId()).startsWith(CustomResourceFunction.FAILED_CREATE_ID_PREFIX);
    }

    @Test
    void failedUpdateKeepsTheExistingPhysicalId() {
        harnessFor(invocation -> {
            throw new CustomResourceException("The cluster is not ACTIVE.");
        });

        Put put = harness.update(EVENT, "existing-id", Map.of(), Map.of());

        assertThat(put.status()).isEqualTo("FAILED");
        assertThat(put.reason()).isEqualTo("The cluster is not ACTIVE.");
        assertThat(put.physicalResourceId()).isEqualTo("existing-id");
    }

    @Test
    void rollbackUpdateWhoseOldPropertiesAreTheRejectedOnesSucceedsFromTheGoodProperties() {
        List<Object> seenOld = new ArrayList<>();
        harnessFor(invocation -> {
            seenOld.add(invocation.oldProperties().requiredString("IssuerUrl"));
            return invocation.sameId().build();
        });

        // CloudFormation rolls a rejected Update back with the rejected values as OldResourceProperties.
        Put put = harness.update(EVENT, "existing-id", Map.of(), Map.of("IssuerUrl", List.of("not", "a", "string")));

        assertThat(put.status()).as(put.reason()).isEqualTo("SUCCESS");
        assertThat(put.physicalResourceId()).isEqualTo("existing-id");
        assertThat(seenOld).as("the update sees the good properties as its previous state").hasSize(1).doesNotContainNull();
        assertThat(logs()).contains("OldResourceProperties do not validate");
    }

    @Test
    void rollbackDeleteOfAFailedCreateReachesTheResourceWithThePropertiesAndKeepsThePlaceholderId() {
        List<String> seen = new ArrayList<>();
        harnessFor(invocation -> {
            if (calls.get(calls.size() - 1).equals("create")) {
                // Side effects happened before the failure; only the Delete that follows can remove them.
                throw new CustomResourceException("create failed after creating something");
            }
            seen.add(invocation.physicalResourceId() + " " + invocation.properties().requiredString("IssuerUrl") + " " + invocation.ownerTag());
            return Outcome.of("whatever-the-resource-says").build();
        });
        Put created = harness.create(EVENT, Map.of());

        Put deleted = harness.delete(EVENT, created.physicalResourceId(), Map.of());

        assertThat(created.status()).isEqualTo("FAILED");
        assertThat(created.physicalResourceId()).startsWith(CustomResourceFunction.FAILED_CREATE_ID_PREFIX);
        assertThat(deleted.status()).as(deleted.reason()).isEqualTo("SUCCESS");
        assertThat(deleted.physicalResourceId()).isEqualTo(created.physicalResourceId());
        assertThat(calls).containsExactly("create", "delete");
        assertThat(seen).containsExactly(created.physicalResourceId() + " https://oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE "
                + "arn:aws:cloudformation:us-east-1:123456789012:stack/e6link/00000000-0000-0000-0000-000000000000/OidcProvider");
    }

    @Test
    void rollbackDeleteOfAFailedCreateWhosePropertiesNeverValidatedMakesNoCall() {
        harnessFor(invocation -> Outcome.of("never").build());
        Map<String, Object> noIssuer = new LinkedHashMap<>();
        noIssuer.put("IssuerUrl", List.of("not", "a", "string"));

        Put created = harness.create(EVENT, noIssuer);
        Put deleted = harness.delete(EVENT, created.physicalResourceId(), noIssuer);

        assertThat(created.status()).isEqualTo("FAILED");
        assertThat(created.physicalResourceId()).startsWith(CustomResourceFunction.FAILED_CREATE_ID_PREFIX);
        assertThat(deleted.status()).isEqualTo("SUCCESS");
        assertThat(deleted.physicalResourceId()).isEqualTo(created.physicalResourceId());
        assertThat(calls).isEmpty();
        assertThat(logs()).contains("Delete with invalid properties treated as already deleted");
    }

    @Test
    void deleteWithAnIdCloudFormationMadeUpReachesTheResource() {
        List<String> seen = new ArrayList<>();
        harnessFor(invocation -> {
            seen.add(invocation.physicalResourceId());
            return invocation.sameId().build();
        });

        Put deleted = harness.delete(EVENT, "e6link-it-OidcProvider-ABCDEF123456", Map.of());

        assertThat(deleted.status()).isEqualTo("SUCCESS");
        assertThat(deleted.physicalResourceId()).isEqualTo("e6link-it-OidcProvider-ABCDEF123456");
        assertThat(seen).containsExactly("e6link-it-OidcProvider-ABCDEF123456");
    }

    @Test
    void deleteAnswersWithTheEventsPhysicalIdWhateverTheResourceReturns() {
        harnessFor(invocation -> Outcome.of("some-other-id").build());

        Put deleted = harness.delete(EVENT, "arn:the-real-one", Map.of());

        assertThat(deleted.status()).isEqualTo("SUCCESS");
        assertThat(deleted.physicalResourceId()).isEqualTo("arn:the-real-one");
    }

    @Test
    void invalidPropertiesFailCreateNamingThePropertyButDeleteSucceeds() {
        harnessFor(invocation -> Outcome.of("never").build());
        Map<String, Object> noIssuer = new LinkedHashMap<>();
        noIssuer.put("IssuerUrl", " ");

        Put created = harness.create(EVENT, noIssuer);
        Put deleted = harness.delete(EVENT, "old-id", noIssuer);

        assertThat(created.status()).isEqualTo("FAILED");
        assertThat(created.reason()).isEqualTo("Property IssuerUrl is missing: a value is required.");
        assertThat(deleted.status()).isEqualTo("SUCCESS");
        assertThat(calls).isEmpty();
    }

    @Test
    void missingResourcePropertiesFailsWithAReason() {
        harnessFor(invocation -> Outcome.of("never").build());
        Map<String, Object> event = io.e6link.testing.Events.load(EVENT);
        event.remove("ResourceProperties");
        event.put("ResponseURL", harness.recorder().newUrl());

        Put put = harness.send(event);

        assertThat(put.status()).isEqualTo("FAILED");
        assertThat(put.reason()).contains("no ResourceProperties");
        assertThat(calls).isEmpty();
    }

    @Test
    void unknownRequestTypeFailsWithAReason() {
        harnessFor(invocation -> Outcome.of("never").build());
        Map<String, Object> event = io.e6link.testing.Events.load(EVENT);
        event.put("RequestType", "Replace");
        event.put("ResponseURL", harness.recorder().newUrl());

        Put put = harness.send(event);

        assertThat(put.status()).isEqualTo("FAILED");
        assertThat(put.reason()).contains("Unsupported RequestType 'Replace'");
        assertThat(put.physicalResourceId()).startsWith(CustomResourceFunction.FAILED_CREATE_ID_PREFIX);
    }

    @Test
    void eventThatIsNotJsonIsLoggedAndIgnoredWithoutThrowing() {
        harnessFor(invocation -> Outcome.of("never").build());

        String output = harness.invokeRaw("this is not json");

        assertThat(output).contains("IGNORED");
        assertThat(logs()).contains("not a JSON object");
    }

    @Test
    void oversizedReasonIsTruncatedToFitTheResponseLimit() {
        String hugeReason = "x".repeat(10_000);
        harnessFor(invocation -> {
            throw new CustomResourceException(hugeReason);
        });

        Put put = harness.create(EVENT, Map.of());

        assertThat(put.body().getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(ResponseBody.MAX_BYTES);
        assertThat(put.status()).isEqualTo("FAILED");
        assertThat(put.reason()).startsWith("xxxx").endsWith("[...]");
    }

    @Test
    void oversizedDataTurnsSuccessIntoFailedThatSaysWhy() {
        harnessFor(invocation -> Outcome.of("id").with("Big", "y".repeat(5000)).build());

        Put put = harness.create(EVENT, Map.of());

        assertThat(put.status()).isEqualTo("FAILED");
        assertThat(put.reason()).contains("over the 4096-byte limit");
        assertThat(put.body().getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(ResponseBody.MAX_BYTES);
    }

    @Test
    void handlerStillRunningNearTheDeadlineIsAnsweredFailedNamingTheStep() {
        harnessFor(invocation -> {
            invocation.deadline().step("waiting for targets to become healthy");
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Outcome.of("late").build();
        }).remainingMillis(7_000);

        long started = System.nanoTime();
        Put put = harness.create(EVENT, Map.of());

        assertThat(put.status()).isEqualTo("FAILED");
        assertThat(put.reason()).isEqualTo("Timed out after 2 s while waiting for targets to become healthy.");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(7));
    }

    @Test
    void failureToBuildTheResourceStillAnswersTheEvent() {
        CustomResourceFunction function = new CustomResourceFunction(TYPE, () -> {
            throw new CustomResourceException("AWS_REGION is not set; the function cannot tell which region to call.");
        }, ResponseSender.create(log), log) { };
        harness = new CustomResourceHarness(function);

        Put put = harness.create(EVENT, Map.of());

        assertThat(put.status()).isEqualTo("FAILED");
        assertThat(put.reason()).contains("AWS_REGION is not set");
    }

    @Test
    void throttlingThatOutlastsSdkRetriesIsReportedWithTheServiceAndCode() {
        harnessFor(invocation -> {
            throw AwsServiceException.builder().statusCode(400)
                    .awsErrorDetails(AwsErrorDetails.builder().serviceName("Ec2").errorCode("RequestLimitExceeded").errorMessage("Request limit exceeded.").build())
                    .build();
        });

        Put put = harness.create(EVENT, Map.of());

        assertThat(put.status()).isEqualTo("FAILED");
        assertThat(put.reason()).isEqualTo("Ec2 refused the request (RequestLimitExceeded): Request limit exceeded.");
    }

    @Test
    void accessDeniedNamesTheRoleAsTheProblem() {
        harnessFor(invocation -> {
            throw AwsServiceException.builder().statusCode(403)
                    .awsErrorDetails(AwsErrorDetails.builder().serviceName("Iam").errorCode("AccessDenied").errorMessage("not authorized to perform iam:CreateOpenIDConnectProvider").build())
                    .build();
        });

        Put put = harness.create(EVENT, Map.of());

        assertThat(put.reason()).startsWith("The function's IAM role is not allowed to do this in Iam (AccessDenied)");
    }

    @Test
    void responseUrlAnswering500IsRetriedUntilAccepted() {
        harnessFor(invocation -> Outcome.of("id").build());
        harness.recorder().answerWith(500, 503, 200);

        harness.invokeRaw(io.e6link.testing.Events.json(io.e6link.testing.Events.prepare(EVENT, harness.recorder().newUrl(), Map.of())));
        List<Put> puts = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            puts.add(harness.recorder().await(Duration.ofSeconds(1)));
        }

        assertThat(puts).extracting(Put::status).containsOnly("SUCCESS");
        assertThat(harness.recorder().drain()).isEmpty();
        assertThat(logs()).contains("\"responseDelivered\":true");
    }

    @Test
    void responseUrlAnswering403IsNotRetriedAndIsLogged() {
        harnessFor(invocation -> Outcome.of("id").build());
        harness.recorder().answerWith(403);

        harness.invokeRaw(io.e6link.testing.Events.json(io.e6link.testing.Events.prepare(EVENT, harness.recorder().newUrl(), Map.of())));

        assertThat(harness.recorder().await(Duration.ofSeconds(1)).status()).isEqualTo("SUCCESS");
        assertThat(harness.recorder().drain()).isEmpty();
        assertThat(logs()).contains("refused the response").contains("\"responseDelivered\":false");
    }

    @Test
    void hangingResponseUrlDoesNotHoldTheFunctionPastItsDeadline() {
        harnessFor(invocation -> Outcome.of("id").build()).remainingMillis(4_000);
        harness.recorder().hangFor(Duration.ofSeconds(20));

        long started = System.nanoTime();
        harness.invokeRaw(io.e6link.testing.Events.json(io.e6link.testing.Events.prepare(EVENT, harness.recorder().newUrl(), Map.of())));

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(6));
        assertThat(logs()).contains("\"responseDelivered\":false");
    }

    @Test
    void logLinesNeverContainThePresignedUrlAndNameTheOperation() {
        harnessFor(invocation -> Outcome.of("id").build());

        harness.create(EVENT, Map.of());

        assertThat(logs()).doesNotContain("X-Amz-Signature").doesNotContain("secret-signature")
                .contains("\"resourceType\":\"Custom::Test\"").contains("\"action\":\"Create\"")
                .contains("\"outcome\":\"SUCCESS\"").contains("\"ms\":");
    }

    @Test
    void sameRequestDeliveredTwiceIsAnsweredTwiceAndTheResourceSeesBoth() {
        AtomicInteger invocations = new AtomicInteger();
        harnessFor(invocation -> Outcome.of("id-" + invocations.incrementAndGet()).build());
        Map<String, Object> event = io.e6link.testing.Events.prepare(EVENT, "unused", Map.of());

        event.put("ResponseURL", harness.recorder().newUrl());
        Put first = harness.send(event);
        Put second = harness.send(event);

        assertThat(first.status()).isEqualTo("SUCCESS");
        assertThat(second.status()).isEqualTo("SUCCESS");
        assertThat(invocations).hasValue(2);
    }

    /**
     * Lambda retries an asynchronous invocation, so one RequestId can arrive twice: the kit keeps no
     * state between invocations (they may land on different instances) and hands both to the
     * resource, whose operations must be idempotent. Here the resource is a one-object world keyed by
     * the ownership tag: the second Create finds the object it made, the second Delete finds nothing.
     */
    @Test
    void sameRequestIdTwiceForCreateAndForDeleteLeavesOneObjectThenNone() {
        Map<String, String> world = new LinkedHashMap<>();
        AtomicInteger made = new AtomicInteger();
        harnessFor(invocation -> {
            String owner = invocation.ownerTag();
            if (calls.get(calls.size() - 1).equals("delete")) {
                world.remove(owner);
                return invocation.sameId().build();
            }
            String id = world.computeIfAbsent(owner, key -> "object-" + made.incrementAndGet());
            return Outcome.of(id).build();
        });
        Map<String, Object> create = io.e6link.testing.Events.prepare(EVENT, harness.recorder().newUrl(), Map.of());
        create.put("RequestId", "22222222-2222-2222-2222-222222222222");

        Put firstCreate = harness.send(create);
        Put secondCreate = harness.send(create);
        Map<String, Object> delete = io.e6link.testing.Events.prepare(EVENT, harness.recorder().newUrl(), Map.of());
        delete.put("RequestType", "Delete");
        delete.put("RequestId", "33333333-3333-3333-3333-333333333333");
        delete.put("PhysicalResourceId", firstCreate.physicalResourceId());
        Put firstDelete = harness.send(delete);
        Put secondDelete = harness.send(delete);

        assertThat(List.of(firstCreate, secondCreate, firstDelete, secondDelete)).extracting(Put::status).containsOnly("SUCCESS");
        assertThat(secondCreate.physicalResourceId()).isEqualTo(firstCreate.physicalResourceId()).isEqualTo("object-1");
        assertThat(List.of(firstDelete, secondDelete)).extracting(Put::physicalResourceId).containsOnly("object-1");
        assertThat(made).hasValue(1);
        assertThat(world).isEmpty();
        assertThat(calls).containsExactly("create", "create", "delete", "delete");
    }
}
