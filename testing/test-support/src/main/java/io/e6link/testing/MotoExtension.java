package io.e6link.testing;

import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * The JUnit face of {@link MotoServer}: starts the JVM's one {@code moto_server} (on a free 127.0.0.1
 * port, behind the strict front door) and resets its state before every test; it stops when the JVM
 * exits. Inject {@link Moto} into test methods or constructors. When moto_server is not installed the
 * tests are skipped with a loud reason — except under {@code CI=true}, where a missing emulator fails
 * the build instead of hiding the tests. A {@code *Test} class using it must be tagged
 * {@code @Tag(TestTiers.EMULATED)} (its tier, {@link TestTiers}); an untagged one fails here.
 */
public final class MotoExtension implements ExecutionCondition, BeforeEachCallback, ParameterResolver {
    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        String misplaced = context.getTestClass().map(type -> TestTiers.misplaced(type, context.getTags())).orElse(null);
        if (misplaced != null) {
            throw new IllegalStateException(misplaced);
        }
        Moto moto = start();
        if (moto != null) {
            return ConditionEvaluationResult.enabled("moto_server running at " + moto.endpoint());
        }
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new IllegalStateException("CI=true but " + MotoServer.unavailableReason() + " Install moto[server] (pip install 'moto[server]') so the AWS tests run.");
        }
        String unavailable = MotoServer.unavailableReason();
        System.err.println("SKIPPING AWS TESTS: " + unavailable);
        return ConditionEvaluationResult.disabled("SKIPPED LOUDLY: " + unavailable);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        Moto shared = MotoServer.start();
        if (shared != null) {
            shared.reset();
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == Moto.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return start();
    }

    /**
     * The shared emulator ({@link MotoServer#start()}), started on first use; null when moto_server cannot
     * be started. Code outside JUnit calls {@link MotoServer} directly.
     */
    public static Moto start() {
        return MotoServer.start();
    }
}
