package io.e6link.kit.eks;

import io.e6link.kit.InvalidPropertyException;
import io.e6link.kit.PropertySources;
import java.util.regex.Pattern;

/**
 * EKS's cluster-name rule, checked in one place for every reader: the {@code ClusterName} property of
 * discovery and of the ENI targets, the reconciler's {@code CLUSTER_NAME} and the preflight's option.
 * The rule (EKS API reference, CreateCluster {@code name}) also keeps EC2 filter wildcards ({@code *}
 * and {@code ?}) out of the ENI lookup, which filters on {@code Amazon EKS <name>}.
 */
public final class ClusterName {
    /** The template parameter, passed on unchanged as the custom resources' property of the same name. */
    public static final String PARAMETER = "ClusterName";
    public static final String RULE =
            "an EKS cluster name is 1-100 letters, digits, hyphens and underscores, starting with a letter or digit";
    private static final Pattern PATTERN = Pattern.compile("[0-9A-Za-z][A-Za-z0-9_-]{0,99}");
    /** template.yaml: {@code ClusterName: !Ref ClusterName}, so messages name the parameter. */
    private static final PropertySources SOURCES = PropertySources.NONE.parameter(PARAMETER, PARAMETER);

    private ClusterName() {
    }

    /** True when {@code name} (may be null) follows EKS's naming rule. */
    public static boolean isValid(String name) {
        return name != null && PATTERN.matcher(name).matches();
    }

    /**
     * The value of the {@code ClusterName} parameter, checked.
     *
     * @return {@code name} unchanged
     * @throws InvalidPropertyException naming the parameter, the value and {@link #RULE}
     */
    public static String require(String name) {
        if (!isValid(name)) {
            throw SOURCES.invalid(PARAMETER, name, RULE);
        }
        return name;
    }
}
