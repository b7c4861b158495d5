package io.e6link.eksenitargets;

import java.util.Optional;

/**
 * What {@code Custom::EksEniTargets} writes: the targets on one port of the stack's target group.
 * Its physical id is {@code <TargetGroupArn>|<Port>}.
 */
record RegisteredPort(String targetGroupArn, int port) {

    String physicalResourceId() {
        return targetGroupArn + "|" + port;
    }

    /**
     * The group and port a physical id of this resource names; empty for ids it did not make (a
     * failed Create's placeholder, or one CloudFormation made up after a lost answer).
     */
    static Optional<RegisteredPort> parse(String physicalId) {
        int separator = physicalId == null ? -1 : physicalId.lastIndexOf('|');
        if (separator < 0 || !TargetGroupTargets.isTargetGroupArn(physicalId.substring(0, separator))) {
            return Optional.empty();
        }
        try {
            int port = Integer.parseInt(physicalId.substring(separator + 1));
            return port < 1 || port > 65535 ? Optional.empty() : Optional.of(new RegisteredPort(physicalId.substring(0, separator), port));
        } catch (NumberFormatException notOurs) {
            return Optional.empty();
        }
    }
}
