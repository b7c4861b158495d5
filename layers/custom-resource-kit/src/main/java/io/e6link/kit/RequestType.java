package io.e6link.kit;

/** The three operations CloudFormation asks a custom resource to perform. */
public enum RequestType {
    Create, Update, Delete;

    static RequestType parse(Object value) {
        for (RequestType type : values()) {
            if (type.name().equals(value)) {
                return type;
            }
        }
        throw new CustomResourceException("Unsupported RequestType '" + value + "': expected Create, Update or Delete.");
    }
}
