package io.e6link.kit;

/**
 * The ownership rule: whatever a resource creates is tagged {@code e6link:owner =
 * <StackId>/<LogicalResourceId>}; whatever lacks that exact tag is never modified destructively.
 *
 * <p>The value must be legal for every service that stores it. IAM's tag rules are the narrowest:
 * only Unicode letters, digits, white space and {@code _ . : / = + - @}, at most 256 characters (IAM
 * user guide, "Tagging IAM resources"). A stack id is an ARN ({@code arn:aws:cloudformation:<region>:
 * <account>:stack/<name>/<uuid>}) and a logical id is alphanumeric, so {@code /} joins them legally;
 * an earlier {@code |} separator was refused by IAM with InvalidInput.
 *
 * <p>The tag, not the physical id, decides what a Delete removes: a Delete may carry the placeholder
 * of a failed Create or an id CloudFormation made up, and must still find what this stack and
 * logical id made (by the tag and the properties), and must never touch what it adopted.
 */
public final class Ownership {
    public static final String TAG_KEY = "e6link:owner";
    /** IAM's limit on tag values, the shortest of the services e6link tags in. */
    static final int MAX_VALUE_LENGTH = 256;

    private Ownership() {
    }

    /**
     * @return {@code <stackId>/<logicalResourceId>}
     * @throws CustomResourceException when the value would exceed {@value #MAX_VALUE_LENGTH} characters
     */
    public static String ownerValue(String stackId, String logicalResourceId) {
        String value = stackId + "/" + logicalResourceId;
        if (value.length() > MAX_VALUE_LENGTH) {
            throw new CustomResourceException("The ownership tag for " + logicalResourceId + " would be " + value.length()
                    + " characters, more than the " + MAX_VALUE_LENGTH + " AWS allows; use a shorter stack name.");
        }
        return value;
    }

    /** True when a tag with this key and value marks the object as made by {@code owner}. */
    public static boolean isOwnerTag(String key, String value, String owner) {
        return TAG_KEY.equals(key) && owner != null && owner.equals(value);
    }
}
