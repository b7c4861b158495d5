package io.e6link.testing;

/**
 * The three test tiers and how a test lands in exactly one of them (docs/developing.md, "Test tiers"):
 * <ul>
 *   <li><b>pure</b>: surefire {@code *Test} classes without a tag; they start no emulator
 *       ({@code ./scripts/test --fast}, Maven profile {@code fast});</li>
 *   <li><b>emulated</b>: surefire {@code *Test} classes tagged {@code @Tag(TestTiers.EMULATED)}; they run
 *       against moto behind {@link io.e6link.testing.aws.StrictAws} ({@code ./scripts/test --emulated},
 *       profile {@code emulated});</li>
 *   <li><b>packaged</b>: failsafe {@code *IT} classes: packaged Lambda functions, the whole emulated stack,
 *       the release and deploy scripts ({@code ./scripts/test --its}, profile {@code its}).</li>
 * </ul>
 * Two guards keep a test from leaving its tier silently: {@link MotoExtension} fails a {@code *Test} class
 * that is not tagged {@link #EMULATED}, and {@link MotoServer#start()} refuses to start inside the pure
 * tier (system property {@value #TIER_PROPERTY} = {@value #PURE}). TestTiersTest (tools/emulated-stack)
 * checks the sources: every class with tests is named {@code *Test} or {@code *IT}, and a {@code *Test}
 * carries the tag exactly when it uses the emulator.
 */
public final class TestTiers {
    /** The JUnit tag of the emulated tier. */
    public static final String EMULATED = "emulated";
    /** The system property the tier profiles set in the test JVM. */
    public static final String TIER_PROPERTY = "e6link.tier";
    /** The value of {@link #TIER_PROPERTY} in the pure tier. */
    public static final String PURE = "pure";

    private TestTiers() {
    }

    /** True when this JVM runs the pure tier (the {@code fast} profile), where no emulator may start. */
    public static boolean inPureTier() {
        return PURE.equals(System.getProperty(TIER_PROPERTY));
    }

    /**
     * Why a test class may not use the emulator where it is, or null when it may: a {@code *Test} class
     * (surefire) must carry {@code @Tag(TestTiers.EMULATED)}; {@code *IT} classes (failsafe) are their own tier.
     *
     * @param testClass the class whose tests asked for moto
     * @param tags      the JUnit tags on it (inherited ones included)
     */
    static String misplaced(Class<?> testClass, java.util.Set<String> tags) {
        String name = testClass.getSimpleName();
        Class<?> outer = testClass;
        while (outer.getEnclosingClass() != null) {
            outer = outer.getEnclosingClass();
        }
        if (outer.getSimpleName().endsWith("IT") || tags.contains(EMULATED)) {
            return null;
        }
        return outer.getName() + (outer == testClass ? "" : " (" + name + ")")
                + " starts moto_server but is not tagged @Tag(TestTiers.EMULATED): tag it so it runs in the emulated tier and not in ./scripts/test --fast.";
    }
}
