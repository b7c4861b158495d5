package io.e6link.kit;

/**
 * A failure whose message is already a one-line reason a customer can act on. The kit puts the
 * message verbatim into the FAILED response's Reason.
 */
public class CustomResourceException extends RuntimeException {
    public CustomResourceException(String reason) {
        super(reason);
    }

    public CustomResourceException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
