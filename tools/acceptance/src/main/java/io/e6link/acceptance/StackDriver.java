package io.e6link.acceptance;

import java.util.List;
import java.util.Map;

/**
 * The stack under test, driven the same way in both modes: CloudFormation in a real account
 * ({@link CloudFormationStack}), the emulated stack for --local.
 */
public interface StackDriver {
    /** How a stack operation ended: CloudFormation's stack status, the first failure reason, seconds taken. */
    record Outcome(String status, String reason, double seconds) {
        public boolean ok() {
            return status.endsWith("_COMPLETE") && !status.contains("ROLLBACK");
        }
    }

    String name();

    /** The stack id (ARN), known once created. */
    String stackId();

    Outcome create(Map<String, String> parameters);

    /** UpdateStack with the same template and these parameter values. */
    Outcome update(Map<String, String> parameters);

    Outcome delete();

    Map<String, String> outputs();

    /** The physical id of a resource of the stack, or null when it has none (yet). */
    String physicalId(String logicalId);

    /** Lines of the stack's function logs since the run started that report an authorization failure. */
    List<String> deniedCalls();

    /** Function name → reserved concurrency, for every function of the stack (null: none reserved). */
    Map<String, Integer> reservedConcurrency();
}
