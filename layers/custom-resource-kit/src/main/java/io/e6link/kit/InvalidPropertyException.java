package io.e6link.kit;

/** A resource property is missing or malformed; the message names the property and the value. */
public final class InvalidPropertyException extends CustomResourceException {
    public InvalidPropertyException(String property, Object value, String expectation) {
        super("Property " + property + " " + (value == null ? "is missing" : "has invalid value '" + value + "'")
                + ": " + expectation + ".");
    }
}
