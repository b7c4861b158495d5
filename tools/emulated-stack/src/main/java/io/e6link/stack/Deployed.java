package io.e6link.stack;

import java.util.Map;

/**
 * One resource as the emulated stack holds it: what Ref returns, what GetAtt can read, and the
 * resolved properties it was created or last updated with.
 *
 * @param emulated true when the resource exists in moto (or was made by a custom resource);
 *                 false when it is only recorded (IAM roles, log groups, alarms: no network effect)
 */
record Deployed(String logicalId, String type, String physicalId, Map<String, Object> attributes,
                Map<String, Object> properties, boolean emulated) {
}
