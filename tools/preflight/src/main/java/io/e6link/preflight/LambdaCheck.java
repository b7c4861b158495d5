package io.e6link.preflight;

import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.AccountLimit;

/**
 * Lambda concurrency headroom: the stack reserves none (accounts with a low quota cannot grant a
 * reservation), so its custom resources during deploys and its two scheduled functions (the reconciler
 * and the connection acceptor, every ReconcileIntervalMinutes) share the account's unreserved pool
 * with every other function.
 */
final class LambdaCheck {
    /** At or below this many concurrent executions the report warns (new accounts often start at 10). */
    static final int LOW_LIMIT = 10;

    private final LambdaClient lambda;

    LambdaCheck(LambdaClient lambda) {
        this.lambda = lambda;
    }

    void run(Section section) {
        AccountLimit limit;
        try {
            limit = Unreadable.read("lambda:GetAccountSettings", () -> lambda.getAccountSettings().accountLimit());
        } catch (Unreadable unreadable) {
            section.unchecked("Could not check the Lambda concurrency quota: " + unreadable.reason() + ".");
            return;
        }
        section.add(assess(limit));
    }

    static Finding assess(AccountLimit limit) {
        Integer total = limit == null ? null : limit.concurrentExecutions();
        Integer unreserved = limit == null ? null : limit.unreservedConcurrentExecutions();
        if (total == null) {
            return Finding.unchecked("Could not check the Lambda concurrency quota: lambda:GetAccountSettings reported no AccountLimit.");
        }
        String pool = unreserved == null ? "" : " (" + unreserved + " unreserved)";
        if (total <= LOW_LIMIT || (unreserved != null && unreserved <= LOW_LIMIT)) {
            return Finding.warning("The account's Lambda concurrency limit is " + total + pool + ": the stack reserves none, so its deploy-time "
                    + "functions and its two scheduled functions share that pool with your other functions and may be throttled; ask for more "
                    + "in Service Quotas (AWS Lambda, Concurrent executions, L-B99A9384) or raise ReconcileIntervalMinutes.", "ReconcileIntervalMinutes");
        }
        return Finding.ok("Lambda concurrency: the account's limit is " + total + pool + " and the stack reserves none of it.");
    }
}
