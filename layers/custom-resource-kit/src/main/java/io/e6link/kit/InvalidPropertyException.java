package io.e6link.kit;

/**
 * A resource property is missing or malformed; the message names the property (or the template
 * parameter it comes from, see {@link PropertySources}) and the value.
 */
public final class InvalidPropertyException extends CustomResourceException {
    public InvalidPropertyException(String property, Object value, String expectation) {
        this(PropertySources.NONE, property, value, expectation);
    }

    public InvalidPropertyException(PropertySources sources, String property, Object value, String expectation) {
        super(sources.subject(property) + " " + (value == null ? "is missing" : "has invalid value '" + value + "'")
                + ": " + expectation + ".");
    }
}
