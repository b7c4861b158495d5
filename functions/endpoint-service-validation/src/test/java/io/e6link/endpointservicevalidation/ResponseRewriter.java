package io.e6link.endpointservicevalidation;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/**
 * Rewrites moto's answer to one operation, for states moto never produces (a Pending service, a failed
 * NLB, unhealthy or initial targets). moto still serves the call; only the parsed response changes.
 */
final class ResponseRewriter<T extends SdkResponse> implements ExecutionInterceptor {
    private final Class<T> type;
    private final UnaryOperator<T> rewrite;
    private final int times;
    private final AtomicInteger rewritten = new AtomicInteger();

    private ResponseRewriter(Class<T> type, int times, UnaryOperator<T> rewrite) {
        this.type = type;
        this.rewrite = rewrite;
        this.times = times;
    }

    static <T extends SdkResponse> ResponseRewriter<T> always(Class<T> type, UnaryOperator<T> rewrite) {
        return new ResponseRewriter<>(type, Integer.MAX_VALUE, rewrite);
    }

    /** Rewrites the first {@code times} responses, then lets moto's answers through. */
    static <T extends SdkResponse> ResponseRewriter<T> first(int times, Class<T> type, UnaryOperator<T> rewrite) {
        return new ResponseRewriter<>(type, times, rewrite);
    }

    @Override
    public SdkResponse modifyResponse(Context.ModifyResponse context, ExecutionAttributes attributes) {
        if (type.isInstance(context.response()) && rewritten.getAndIncrement() < times) {
            return rewrite.apply(type.cast(context.response()));
        }
        return context.response();
    }
}
