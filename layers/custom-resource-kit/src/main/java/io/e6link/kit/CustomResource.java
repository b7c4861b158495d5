package io.e6link.kit;

/**
 * One CloudFormation resource type. Implementations only translate, call, check and return;
 * responding, logging, deadlines and failure reasons belong to {@link CustomResourceFunction}.
 *
 * @param <P> the record the properties are parsed into, once, at the edge
 */
public interface CustomResource<P> {

    /** Parses and validates ResourceProperties; throws {@link InvalidPropertyException} naming the property. */
    P parse(Properties properties);

    Outcome create(Invocation<P> invocation);

    Outcome update(Invocation<P> invocation);

    /**
     * Must succeed when the thing is already gone or was never created. The kit never calls this
     * for the placeholder id a failed Create answered with.
     */
    Outcome delete(Invocation<P> invocation);
}
