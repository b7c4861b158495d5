package io.e6link.preflight;

import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.cloudtrail.CloudTrailClient;
import software.amazon.awssdk.services.cloudtrail.model.AdvancedEventSelector;
import software.amazon.awssdk.services.cloudtrail.model.AdvancedFieldSelector;
import software.amazon.awssdk.services.cloudtrail.model.EventSelector;
import software.amazon.awssdk.services.cloudtrail.model.GetEventSelectorsResponse;
import software.amazon.awssdk.services.cloudtrail.model.ReadWriteType;
import software.amazon.awssdk.services.cloudtrail.model.Trail;

/**
 * Informational: EventBridge receives "AWS API Call via CloudTrail" events (management events such
 * as EC2's network-interface calls) only in regions where a trail is logging them. e6link works without
 * them (the reconciler runs on its schedule); the finding tells whether events could reach EventBridge
 * here. Never a blocker.
 */
final class CloudTrailCheck {
    private final CloudTrailClient cloudTrail;
    private final String region;

    CloudTrailCheck(CloudTrailClient cloudTrail, String region) {
        this.cloudTrail = cloudTrail;
        this.region = region;
    }

    void run(Section section) {
        List<Trail> trails;
        try {
            trails = Unreadable.read("cloudtrail:DescribeTrails", () -> cloudTrail.describeTrails(b -> b.includeShadowTrails(true)).trailList());
        } catch (Unreadable unreadable) {
            section.unchecked("Could not check CloudTrail: " + unreadable.reason() + ".");
            return;
        }
        List<String> delivering = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        for (Trail trail : trails) {
            boolean covers = Boolean.TRUE.equals(trail.isMultiRegionTrail()) || region.equals(trail.homeRegion());
            if (!covers) {
                continue;
            }
            String name = trail.name() + (Boolean.TRUE.equals(trail.isOrganizationTrail()) ? " (organization trail)" : "");
            String id = trail.trailARN() == null ? trail.name() : trail.trailARN();
            try {
                boolean logging = Boolean.TRUE.equals(Unreadable.read("cloudtrail:GetTrailStatus",
                        () -> cloudTrail.getTrailStatus(b -> b.name(id)).isLogging()));
                GetEventSelectorsResponse selectors = Unreadable.read("cloudtrail:GetEventSelectors",
                        () -> cloudTrail.getEventSelectors(b -> b.trailName(id)));
                if (logging && recordsWriteManagementEvents(selectors)) {
                    delivering.add(name);
                }
            } catch (Unreadable unreadable) {
                unknown.add(name + ": " + unreadable.reason());
            }
        }
        if (!delivering.isEmpty()) {
            section.ok("CloudTrail trail " + String.join(", ", delivering) + " is logging management events, so EventBridge in " + region
                    + " receives 'AWS API Call via CloudTrail' events (informational).");
        } else if (!unknown.isEmpty()) {
            section.unchecked("Could not tell whether a trail delivers management events in " + region + " (" + String.join("; ", unknown) + ").");
        } else {
            section.warning("No logging CloudTrail trail records management events in " + region + ", so EventBridge receives no 'AWS API Call via CloudTrail' "
                    + "events here; e6link does not need them, its reconciler runs on its schedule (informational).");
        }
    }

    /** Write management events: a classic selector including them (All or WriteOnly), or an advanced selector on eventCategory Management. */
    static boolean recordsWriteManagementEvents(GetEventSelectorsResponse selectors) {
        if (selectors.hasAdvancedEventSelectors() && !selectors.advancedEventSelectors().isEmpty()) {
            for (AdvancedEventSelector selector : selectors.advancedEventSelectors()) {
                boolean management = false;
                boolean readOnlyOnly = false;
                for (AdvancedFieldSelector field : selector.fieldSelectors()) {
                    if ("eventCategory".equals(field.field()) && field.equalsValue().contains("Management")) {
                        management = true;
                    }
                    if ("readOnly".equals(field.field()) && field.equalsValue().contains("true")) {
                        readOnlyOnly = true;
                    }
                }
                if (management && !readOnlyOnly) {
                    return true;
                }
            }
            return false;
        }
        if (!selectors.hasEventSelectors() || selectors.eventSelectors().isEmpty()) {
            // A trail without selectors logs all management events (CloudTrail's default).
            return true;
        }
        for (EventSelector selector : selectors.eventSelectors()) {
            boolean included = selector.includeManagementEvents() == null || selector.includeManagementEvents();
            boolean writes = selector.readWriteType() == null || selector.readWriteType() == ReadWriteType.ALL
                    || selector.readWriteType() == ReadWriteType.WRITE_ONLY;
            if (included && writes) {
                return true;
            }
        }
        return false;
    }
}
