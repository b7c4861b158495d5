package io.e6link.securitygroupingressrules;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where the rules live: the security group and the TCP port. This is the resource's identity and
 * its physical id ({@code sg-0abc:tcp:443}), so Delete knows exactly which owned rules to revoke
 * without reading properties, and a changed group or port is a replacement: CloudFormation creates
 * the new rules first, then sends Delete for the old id, which revokes only the old target's rules.
 * Which rules are ours is never encoded here: it is read back from the e6link:owner tag on each rule.
 */
record RuleTarget(String groupId, int port) {
    private static final Pattern ID = Pattern.compile("(sg-[0-9a-f]+):tcp:(\\d{1,5})");

    static RuleTarget of(SecurityGroupIngressRulesProperties properties) {
        return new RuleTarget(properties.groupId(), properties.port());
    }

    /** Empty for ids this resource did not make: a failed Create's placeholder, or one CloudFormation made up after a lost response. */
    static Optional<RuleTarget> parse(String physicalId) {
        Matcher match = physicalId == null ? null : ID.matcher(physicalId);
        if (match == null || !match.matches()) {
            return Optional.empty();
        }
        return Optional.of(new RuleTarget(match.group(1), Integer.parseInt(match.group(2))));
    }

    String physicalId() {
        return groupId + ":tcp:" + port;
    }
}
