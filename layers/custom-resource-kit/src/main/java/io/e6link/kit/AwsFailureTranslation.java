package io.e6link.kit;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.awscore.AwsExecutionAttribute;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * The single translation of AWS failures, installed on every client by {@link AwsClients}: access denied
 * ({@code AccessDenied*}, {@code UnauthorizedOperation}) and throttling that outlived the SDK's retries
 * get a message naming the IAM action ({@code ec2:ModifyVpcEndpoint}) and the resource the request named
 * ({@code vpce-0abc}), which {@link AwsErrors#reason} returns. Every other failure passes through unchanged.
 * The call sites no longer wrap calls themselves.
 *
 * <p>{@code modifyException} runs once per call, after the retry strategy gave up (the SDK's
 * {@code ExecutionFailureExceptionReportingStage} wraps the retries), and the SDK throws what it returns,
 * which must be an instance of the failure's own class (the SDK checks): the translation is the same
 * exception type, error code and status with a new message and the original as its cause, so callers'
 * {@code catch (Ec2Exception e)} and code checks keep working.
 * The action is the service's IAM prefix (from the endpoint prefix, which equals it for the services
 * e6link calls, CloudWatch's {@code monitoring} aside) and {@link SdkExecutionAttribute#OPERATION_NAME};
 * the Service Authorization Reference names the few operations whose action differs.
 *
 * <p>A function's clients retry implicit denies through IAM's propagation window ({@link IamPropagationRetry});
 * their translation then says how long the call was still denied, measured on that strategy's clock from the
 * call's start. Explicit denies keep AWS's clause and name who can lift them ({@link AwsErrors#denied}).
 */
public final class AwsFailureTranslation implements ExecutionInterceptor {
    /** Endpoint prefixes that are not the IAM prefix (Service Authorization Reference). */
    private static final Map<String, String> IAM_PREFIX = Map.of("monitoring", "cloudwatch");
    /** Operations authorized by an action of another name (Service Authorization Reference, Amazon S3). */
    private static final Map<String, String> ACTION = Map.of("s3:HeadBucket", "s3:ListBucket", "s3:ListBuckets", "s3:ListAllMyBuckets");
    /** Request members that name what a call acts on, besides those ending in Id(s) and Arn(s). */
    private static final Set<String> IDENTIFIERS = Set.of("Bucket", "Name", "Names", "Url", "Resources");
    private static final int SHOWN_VALUES = 3;
    private static final ExecutionAttribute<Long> STARTED = new ExecutionAttribute<>("e6link.callStartedMillis");

    private final IamPropagationRetry propagation;

    /** The translation of a client that does not retry denials (the preflight's). */
    public AwsFailureTranslation() {
        this(null);
    }

    /** The translation of a client whose retry strategy is {@code propagation} (null: denials are not retried). */
    public AwsFailureTranslation(IamPropagationRetry propagation) {
        this.propagation = propagation;
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        if (propagation != null) {
            attributes.putAttribute(STARTED, propagation.now());
        }
    }

    @Override
    public Throwable modifyException(Context.FailedExecution context, ExecutionAttributes attributes) {
        if (!(context.exception() instanceof AwsServiceException answer)) {
            return context.exception();
        }
        if (answer.isThrottlingException()) {
            return AwsErrors.throttled(iamAction(attributes), resource(context.request()), answer);
        }
        if (AwsErrors.isAccessDenied(answer)) {
            return AwsErrors.denied(iamAction(attributes), resource(context.request()), answer, deniedSeconds(answer, attributes));
        }
        return answer;
    }

    /** Seconds from the call's start to its last denial, when the call was retried through the propagation window; else -1. */
    private long deniedSeconds(AwsServiceException answer, ExecutionAttributes attributes) {
        Long started = attributes.getAttribute(STARTED);
        if (propagation == null || started == null || propagation.window().isZero() || !IamPropagationRetry.isImplicitDeny(answer)) {
            return -1;
        }
        return Math.round((propagation.now() - started) / 1000.0);
    }

    /** {@code service:Operation}, e.g. {@code elasticloadbalancing:RegisterTargets}. */
    static String iamAction(ExecutionAttributes attributes) {
        String prefix = String.valueOf(attributes.getAttribute(AwsExecutionAttribute.ENDPOINT_PREFIX));
        String action = IAM_PREFIX.getOrDefault(prefix, prefix) + ":" + attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        return ACTION.getOrDefault(action, action);
    }

    /**
     * The first identifier the request carries (a member named {@code *Id}, {@code *Ids}, {@code *Arn},
     * {@code *Arns}, {@code Bucket}, {@code Name}, ...), lists shortened to their first few values; else "*"
     * (all resources, as IAM evaluates a call that names none) followed by the request's EC2-style filters,
     * e.g. {@code * (filter group-id=sg-0123)}.
     */
    static String resource(SdkRequest request) {
        for (SdkField<?> field : request.sdkFields()) {
            if (!isIdentifier(field.memberName())) {
                continue;
            }
            String value = shown(field.getValueOrDefault(request));
            if (!value.isBlank()) {
                return value;
            }
        }
        List<String> filters = new ArrayList<>();
        request.getValueForField("Filters", Collection.class).ifPresent(all -> all.forEach(filter -> {
            if (filter instanceof SdkPojo pojo) {
                filters.add(shown(value(pojo, "Name")) + "=" + shown(value(pojo, "Values")));
            }
        }));
        return filters.isEmpty() ? "*" : "* (filter " + String.join(", ", filters) + ")";
    }

    private static Object value(SdkPojo pojo, String member) {
        return pojo.sdkFields().stream().filter(field -> member.equals(field.memberName())).findFirst()
                .map(field -> (Object) field.getValueOrDefault(pojo)).orElse(null);
    }

    /** A string as it is, a list as its first few values joined by commas; "" for anything else. */
    private static String shown(Object value) {
        if (value instanceof Collection<?> values) {
            List<String> first = values.stream().limit(SHOWN_VALUES).map(String::valueOf).toList();
            return String.join(",", first) + (values.size() > SHOWN_VALUES ? " and " + (values.size() - SHOWN_VALUES) + " more" : "");
        }
        return value instanceof String text ? text : "";
    }

    /** REST-JSON models name members in camel case ({@code name} in EKS), the others in Pascal case ({@code VpcId}). */
    private static boolean isIdentifier(String memberName) {
        if (memberName == null || memberName.isEmpty()) {
            return false;
        }
        String member = Character.toUpperCase(memberName.charAt(0)) + memberName.substring(1);
        return IDENTIFIERS.contains(member) || member.endsWith("Id") || member.endsWith("Ids") || member.endsWith("Arn") || member.endsWith("Arns");
    }
}
