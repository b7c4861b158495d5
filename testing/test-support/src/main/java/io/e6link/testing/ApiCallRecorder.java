package io.e6link.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * A global SDK interceptor (registered through
 * {@code software/amazon/awssdk/global/handlers/execution.interceptors}) that appends every AWS call
 * as an IAM action ({@code ec2:DescribeSubnets}) to the file named by {@code E6LINK_API_CALL_LOG}.
 * The Lambda runtime fixture puts it on the function's classpath, so the least-privilege check sees
 * what packaged functions really call. Without the variable it does nothing.
 */
public final class ApiCallRecorder implements ExecutionInterceptor {
    public static final String LOG_VARIABLE = "E6LINK_API_CALL_LOG";

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        String target = System.getenv(LOG_VARIABLE);
        if (target == null || target.isBlank()) {
            return;
        }
        try {
            Files.writeString(Path.of(target), action(attributes) + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new IllegalStateException("cannot record API call to " + target, e);
        }
    }

    /** The IAM action of a call: IAM service prefix + ":" + operation. */
    static String action(ExecutionAttributes attributes) {
        String service = attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME);
        String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        return iamPrefix(service) + ":" + operation;
    }

    static String iamPrefix(String sdkServiceName) {
        String name = sdkServiceName == null ? "unknown" : sdkServiceName.toLowerCase(Locale.ROOT);
        return switch (name) {
            case "elasticloadbalancingv2", "elastic load balancing v2" -> "elasticloadbalancing";
            default -> name;
        };
    }
}
