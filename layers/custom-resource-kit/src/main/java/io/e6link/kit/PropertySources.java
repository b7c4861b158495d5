package io.e6link.kit;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where each property's value comes from in the template, so a validation message names what the
 * customer actually typed. A customer fills in stack parameters, not resource properties: the
 * template passes {@code Cidrs: !Ref E6dataVpcCidrs}, so a bad CIDR is reported as
 * {@code E6dataVpcCidrs (property Cidrs) has invalid value '10.99.0.1/16': ...}.
 *
 * <ul>
 *   <li>{@link #parameter}: the value is a template parameter. The message leads with the
 *       parameter: {@code <Parameter> (property <Property>) ...}, or just {@code <Parameter> ...}
 *       when both have the same name.</li>
 *   <li>{@link #derived}: the value is computed by the stack (another resource's attribute) from a
 *       parameter. The message keeps the property and says where it came from:
 *       {@code Property VpcId (the VPC of the cluster named by ClusterName) ...}.</li>
 *   <li>Not listed (literals in the template): {@code Property Port ...}.</li>
 * </ul>
 * Immutable; each method returns a new instance.
 */
public final class PropertySources {
    public static final PropertySources NONE = new PropertySources(Map.of());

    private final Map<String, String> subjects;

    private PropertySources(Map<String, String> subjects) {
        this.subjects = subjects;
    }

    /** The property's value is the template parameter {@code parameter}. */
    public PropertySources parameter(String property, String parameter) {
        return with(property, parameter.equals(property) ? parameter : parameter + " (property " + property + ")");
    }

    /** The property's value is computed by the stack; {@code origin} says from what, naming the parameter behind it. */
    public PropertySources derived(String property, String origin) {
        return with(property, "Property " + property + " (" + origin + ")");
    }

    /** How messages name the property: the parameter it comes from, or the property and its origin. */
    public String subject(String property) {
        return subjects.getOrDefault(property, "Property " + property);
    }

    /** The exception for an invalid value of {@code property}, named as {@link #subject} says. */
    public InvalidPropertyException invalid(String property, Object value, String expectation) {
        return new InvalidPropertyException(this, property, value, expectation);
    }

    private PropertySources with(String property, String subject) {
        Map<String, String> copy = new LinkedHashMap<>(subjects);
        copy.put(property, subject);
        return new PropertySources(Map.copyOf(copy));
    }
}
