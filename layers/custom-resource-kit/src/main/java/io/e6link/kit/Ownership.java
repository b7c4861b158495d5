package io.e6link.kit;

/**
 * The ownership rule: whatever a resource creates is tagged {@code e6link:owner =
 * <StackId>|<LogicalResourceId>}; whatever lacks that exact tag is never modified destructively.
 */
public final class Ownership {
    public static final String TAG_KEY = "e6link:owner";

    private Ownership() {
    }

    public static String ownerValue(String stackId, String logicalResourceId) {
        return stackId + "|" + logicalResourceId;
    }
}
