package io.e6link.acceptance;

import java.util.List;

/**
 * How one check of docs/real-account-check.md ended.
 *
 * @param id           the runbook's letter and number, e.g. {@code a.1}
 * @param title        what the check proves
 * @param status       pass, fail, needs-real-account (the emulated world cannot answer it) or not-run
 * @param detail       one or two sentences: what was seen, or why it was not run
 * @param measurements the measured values, each with its unit
 */
public record CheckResult(String id, String title, Status status, String detail, List<Measurement> measurements) {
    /** The outcome of a check. {@link #NEEDS_REAL_ACCOUNT} is never counted as passed. */
    public enum Status {
        PASS("pass"), FAIL("fail"), NEEDS_REAL_ACCOUNT("needs-real-account"), NOT_RUN("not-run");

        private final String word;

        Status(String word) {
            this.word = word;
        }

        public String word() {
            return word;
        }
    }

    public CheckResult {
        measurements = List.copyOf(measurements);
    }

    static CheckResult pass(String id, String title, String detail, Measurement... measured) {
        return new CheckResult(id, title, Status.PASS, detail, List.of(measured));
    }

    static CheckResult fail(String id, String title, String detail, Measurement... measured) {
        return new CheckResult(id, title, Status.FAIL, detail, List.of(measured));
    }

    static CheckResult of(boolean passed, String id, String title, String detail, Measurement... measured) {
        return new CheckResult(id, title, passed ? Status.PASS : Status.FAIL, detail, List.of(measured));
    }

    static CheckResult needsRealAccount(String id, String title, String why) {
        return new CheckResult(id, title, Status.NEEDS_REAL_ACCOUNT, why, List.of());
    }

    static CheckResult notRun(String id, String title, String why) {
        return new CheckResult(id, title, Status.NOT_RUN, why, List.of());
    }
}
