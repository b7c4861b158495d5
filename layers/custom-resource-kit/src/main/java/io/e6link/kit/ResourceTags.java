package io.e6link.kit;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The tags a resource puts on what it creates, at creation (so tag-on-create policies pass): the
 * customer's {@code ResourceTags} property (template parameter {@code ResourceTags}, a list of
 * {@code Key=Value}) and the ownership tag. Stack tags do not reach what a function creates; this does.
 *
 * <p>Values are checked against the narrowest rules of the services that store them: IAM's character
 * set (letters, digits, white space and {@code _ . : / = + - @}) and EC2's lengths (keys 1-127, values
 * 0-255 characters); {@code aws:} keys are reserved by AWS and {@code e6link:} keys by the stack (IAM
 * user guide, "Tagging IAM resources"; EC2 user guide, "Tag restrictions").
 */
public final class ResourceTags {
    public static final String PROPERTY = "ResourceTags";
    private static final Pattern IAM_TAG = Pattern.compile("[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*");
    /** ResourceTags and the template parameter have the same name. */
    private static final PropertySources SOURCES = PropertySources.NONE.parameter(PROPERTY, PROPERTY);

    private ResourceTags() {
    }

    /**
     * @return tag key → value, in the given order, ownership tag last; empty list entries (CloudFormation's
     *         value for an empty CommaDelimitedList) are ignored
     * @throws InvalidPropertyException naming the ResourceTags parameter when an entry is not a legal tag
     */
    public static Map<String, String> forCreation(Invocation<?> invocation) {
        Map<String, String> tags = parse(invocation.request().properties());
        tags.put(Ownership.TAG_KEY, invocation.ownerTag());
        return tags;
    }

    static Map<String, String> parse(ResourceProperties properties) {
        Map<String, String> tags = new LinkedHashMap<>();
        List<String> entries = properties.from(SOURCES).stringList(PROPERTY, false);
        for (String entry : entries) {
            if (entry.isBlank()) {
                continue;
            }
            int eq = entry.indexOf('=');
            String key = eq < 0 ? entry : entry.substring(0, eq).trim();
            String value = eq < 0 ? "" : entry.substring(eq + 1).trim();
            String problem = eq < 0 ? "expected Key=Value"
                    : key.isEmpty() || key.length() > 127 || !IAM_TAG.matcher(key).matches() ? "the key must be 1-127 letters, digits, spaces or _ . : / = + - @"
                    : value.length() > 255 || !IAM_TAG.matcher(value).matches() ? "the value must be at most 255 letters, digits, spaces or _ . : / = + - @"
                    : key.toLowerCase(Locale.ROOT).startsWith("aws:") ? "keys starting with aws: are reserved by AWS"
                    : key.toLowerCase(Locale.ROOT).startsWith("e6link:") ? "keys starting with e6link: are reserved by the stack"
                    : tags.containsKey(key) ? "the key is given twice" : null;
            if (problem != null) {
                throw SOURCES.invalid(PROPERTY, entry, problem);
            }
            tags.put(key, value);
        }
        return tags;
    }
}
