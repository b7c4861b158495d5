package io.e6link.eksclusterdiscovery;

import io.e6link.kit.InvalidPropertyException;
import io.e6link.kit.PropertySources;
import io.e6link.kit.ResourceProperties;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.ec2.model.Subnet;

/**
 * Availability zones the NLB must not use, by name ({@code us-east-1e}) or by zone id
 * ({@code use1-az3}). Names map to different physical zones in each account while constraints are
 * published as ids, so both are accepted. Entries are not checked against the region: the template
 * default ({@code us-east-1e}) is harmless in any other region.
 */
public record ZoneExclusions(List<String> entries) {
    public static final String PROPERTY = "ExcludedAvailabilityZones";
    /** us-east-1e, us-gov-west-1a, local zones such as us-east-1-bos-1a. */
    private static final Pattern ZONE_NAME = Pattern.compile("[a-z]{2}(-[a-z0-9]+)*-[0-9]+[a-z]");
    /** use1-az3, and local-zone ids such as use1-bos1-az1. */
    private static final Pattern ZONE_ID = Pattern.compile("[a-z]{2,}[0-9]+(-[a-z]+[0-9]+)?-(az|lz|wlz)[0-9]+");

    public ZoneExclusions {
        entries = List.copyOf(entries);
    }

    public static ZoneExclusions parse(ResourceProperties properties) {
        List<String> raw = properties.stringList(PROPERTY, false);
        List<String> entries = raw.stream().map(entry -> entry.toLowerCase(Locale.ROOT)).distinct().toList();
        for (String entry : entries) {
            if (!ZONE_NAME.matcher(entry).matches() && !ZONE_ID.matcher(entry).matches()) {
                throw new InvalidPropertyException(PropertySources.NONE.parameter(PROPERTY, PROPERTY), PROPERTY, String.join(",", raw),
                        "expected availability zone names (us-east-1e) or zone ids (use1-az3), separated by commas; '"
                                + entry + "' is neither");
            }
        }
        return new ZoneExclusions(entries);
    }

    public boolean excludes(Subnet subnet) {
        return entries.contains(lower(subnet.availabilityZone())) || entries.contains(lower(subnet.availabilityZoneId()));
    }

    private static String lower(String value) {
        return value == null ? "" : value.toLowerCase(Locale.ROOT);
    }
}
