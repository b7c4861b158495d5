package io.e6link.kit;

import java.util.Objects;
import java.util.function.Function;

/**
 * A custom resource type: the name the template gives it and how its ResourceProperties are read.
 * {@link CustomResourceFunction} parses with it before every operation (and the previous properties
 * of an Update), so a {@link CustomResource} only ever sees the parsed record.
 *
 * @param name the resource type as the template writes it, {@code Custom::...}; named in every log line
 * @param parser reads and validates ResourceProperties into {@code P}; throws
 *     {@link InvalidPropertyException} naming the property (a {@link CustomResourceException} for any
 *     other reason the properties cannot be used)
 * @param <P> the record the properties are parsed into, once, at the edge
 * @see <a href="https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/crpg-ref-requests.html">Custom resource request objects</a>
 */
public record CustomResourceType<P>(String name, Function<ResourceProperties, P> parser) {
    public CustomResourceType {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(parser, "parser");
    }

    /** The parsed properties; throws what {@link #parser} throws for properties that do not validate. */
    public P parse(ResourceProperties properties) {
        return parser.apply(properties);
    }
}
