package io.e6link.preflight;

/**
 * One sentence the report says about the account.
 *
 * @param status    how it reads: fine, worth a look, not checked, or a blocker
 * @param text      the sentence, ending with a full stop
 * @param parameter the stack parameter that changes the outcome (a blocker's fix), or null
 */
public record Finding(Status status, String text, String parameter) {

    /** ✓ fine or what the stack will do; ! worth a look; ! could not check; ✗ the stack would fail. */
    public enum Status {
        OK("✓", "ok"), WARNING("!", "warning"), UNCHECKED("!", "unchecked"), BLOCKER("✗", "blocker");

        private final String marker;
        private final String json;

        Status(String marker, String json) {
            this.marker = marker;
            this.json = json;
        }

        public String marker() {
            return marker;
        }

        public String json() {
            return json;
        }
    }

    public static Finding ok(String text) {
        return new Finding(Status.OK, text, null);
    }

    public static Finding warning(String text) {
        return new Finding(Status.WARNING, text, null);
    }

    public static Finding warning(String text, String parameter) {
        return new Finding(Status.WARNING, text, parameter);
    }

    public static Finding unchecked(String text) {
        return new Finding(Status.UNCHECKED, text, null);
    }

    public static Finding blocker(String text, String parameter) {
        return new Finding(Status.BLOCKER, text, parameter);
    }

    public boolean isBlocker() {
        return status == Status.BLOCKER;
    }
}
