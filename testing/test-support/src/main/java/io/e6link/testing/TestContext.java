package io.e6link.testing;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import java.nio.charset.StandardCharsets;

/** A Lambda {@link Context} for in-process tests whose deadline is {@code remainingMillis} from creation. */
public final class TestContext implements Context {
    private final long deadline;

    public TestContext(long remainingMillis) {
        this.deadline = System.currentTimeMillis() + remainingMillis;
    }

    @Override public String getAwsRequestId() { return "test-request"; }
    @Override public String getLogGroupName() { return "/aws/lambda/test"; }
    @Override public String getLogStreamName() { return "test"; }
    @Override public String getFunctionName() { return "test"; }
    @Override public String getFunctionVersion() { return "$LATEST"; }
    @Override public String getInvokedFunctionArn() { return "arn:aws:lambda:us-east-1:" + MotoClients.ACCOUNT_ID + ":function:test"; }
    @Override public CognitoIdentity getIdentity() { return null; }
    @Override public ClientContext getClientContext() { return null; }
    @Override public int getRemainingTimeInMillis() { return (int) Math.max(0, deadline - System.currentTimeMillis()); }
    @Override public int getMemoryLimitInMB() { return 1024; }

    @Override
    public LambdaLogger getLogger() {
        return new LambdaLogger() {
            @Override public void log(String message) { System.out.println(message); }
            @Override public void log(byte[] message) { System.out.println(new String(message, StandardCharsets.UTF_8)); }
        };
    }
}
