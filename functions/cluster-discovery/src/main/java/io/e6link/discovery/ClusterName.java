package io.e6link.discovery;

import io.e6link.kit.InvalidPropertyException;
import io.e6link.kit.Properties;
import java.util.regex.Pattern;

/** EKS's own naming rule; it also keeps EC2 filter wildcards (* and ?) out of the ENI lookup. */
final class ClusterName {
    private static final Pattern VALID = Pattern.compile("[0-9A-Za-z][A-Za-z0-9_-]{0,99}");

    private ClusterName() {
    }

    static String parse(Properties properties) {
        String name = properties.requiredString("ClusterName");
        if (!VALID.matcher(name).matches()) {
            throw new InvalidPropertyException("ClusterName", name,
                    "an EKS cluster name is 1-100 letters, digits, hyphens and underscores, starting with a letter or digit");
        }
        return name;
    }
}
