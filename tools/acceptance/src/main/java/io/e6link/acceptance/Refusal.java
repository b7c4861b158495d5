package io.e6link.acceptance;

/**
 * Why the acceptance run will not start, in one sentence that names the parameter (a profile, the
 * cluster, the region, an option). Raised before anything is created; the command exits with 2.
 */
public final class Refusal extends RuntimeException {
    public Refusal(String sentence) {
        super(sentence);
    }
}
