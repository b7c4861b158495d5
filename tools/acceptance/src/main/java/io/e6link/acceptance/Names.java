package io.e6link.acceptance;

import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** The names the run gives what it creates: all start with {@code e6link-acc-<run id>}. */
final class Names {
    /** IAM path of every role the run creates. */
    static final String ROLE_PATH = "/e6link-acceptance/";
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("MMddHHmm").withZone(ZoneOffset.UTC);

    private Names() {
    }

    /** A new run id: {@code <MMddHHmm>-<4 hex>}, short enough for bucket and stack names. */
    static String runId(Instant now) {
        return STAMP.format(now) + "-" + String.format("%04x", new SecureRandom().nextInt(0x10000));
    }

    /** The prefix of every name of run {@code runId}. */
    static String prefix(String runId) {
        return "e6link-acc-" + runId;
    }
}
