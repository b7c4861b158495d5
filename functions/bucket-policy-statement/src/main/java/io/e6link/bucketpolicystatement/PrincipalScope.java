package io.e6link.bucketpolicystatement;

/**
 * Who the statement admits through the endpoint. {@code ThisAccount} adds
 * {@code aws:PrincipalAccount}, which keeps the account's own roles working and shuts out
 * anonymous and foreign principals that the runbook's bare {@code Principal "*"} would admit.
 */
enum PrincipalScope {
    ThisAccount, AnyPrincipal;

    static PrincipalScope parse(String value) {
        for (PrincipalScope scope : values()) {
            if (scope.name().equalsIgnoreCase(value)) {
                return scope;
            }
        }
        throw BucketPolicyStatementProperties.SOURCES.invalid("PrincipalScope", value, "expected ThisAccount or AnyPrincipal");
    }
}
