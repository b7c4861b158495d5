package io.e6link.testing;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/** Counts AWS API calls ("Service:Operation") made through the clients it is attached to. */
public final class CallCounter implements ExecutionInterceptor {
    private final List<String> calls = Collections.synchronizedList(new ArrayList<>());

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        calls.add(ApiCallRecorder.action(attributes));
    }

    public List<String> calls() {
        synchronized (calls) {
            return List.copyOf(calls);
        }
    }

    public int count() {
        return calls.size();
    }

    public long count(String action) {
        return calls().stream().filter(action::equals).count();
    }

    public void clear() {
        calls.clear();
    }

    static String serviceOf(ExecutionAttributes attributes) {
        return attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME);
    }
}
