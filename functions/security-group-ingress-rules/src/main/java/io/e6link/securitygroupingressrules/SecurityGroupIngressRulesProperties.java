package io.e6link.securitygroupingressrules;

import io.e6link.kit.PropertySources;
import io.e6link.kit.ResourceProperties;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * @param groupId     the security group the rules go into (the cluster security group)
 * @param cidrs       canonical IPv4 CIDRs, duplicates removed, in the order given
 * @param port        the TCP port opened (443)
 * @param description the description written on the rules this resource creates
 */
record SecurityGroupIngressRulesProperties(String groupId, List<String> cidrs, int port, String description) {
    static final String DEFAULT_DESCRIPTION = "e6data PrivateLink to the EKS API (e6link)";
    private static final Pattern GROUP_ID = Pattern.compile("sg-[0-9a-f]{8,17}");
    // RulePlan finds rules by the exact CIDR string, so only the canonical form is taken: no leading zero in
    // an octet or in the prefix ("/08"), as the template's AllowedPattern for E6dataVpcCidrs.
    private static final Pattern IPV4_CIDR = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})/([0-9]|[1-9][0-9])");
    // EC2's documented character set for security group rule descriptions.
    private static final Pattern DESCRIPTION = Pattern.compile("[a-zA-Z0-9. _\\-:/()#,@\\[\\]+=&;{}!$*]{0,255}");

    /**
     * template.yaml: {@code GroupId: !GetAtt ClusterDiscovery.ClusterSecurityGroupId},
     * {@code Cidrs: !Ref E6dataVpcCidrs}; {@code Port} and {@code Description} are literals.
     */
    static final PropertySources SOURCES = PropertySources.NONE
            .derived("GroupId", "the security group of the cluster named by ClusterName")
            .parameter("Cidrs", "E6dataVpcCidrs");

    static SecurityGroupIngressRulesProperties parse(ResourceProperties given) {
        ResourceProperties properties = given.from(SOURCES);
        String groupId = properties.requiredString("GroupId");
        if (!GROUP_ID.matcher(groupId).matches()) {
            throw SOURCES.invalid("GroupId", groupId, "expected a security group id like sg-0123456789abcdef0");
        }
        // Every CIDR is checked before anything is changed: one bad entry fails the whole request.
        LinkedHashSet<String> cidrs = new LinkedHashSet<>();
        for (String cidr : properties.stringList("Cidrs", true)) {
            cidrs.add(canonicalCidr(cidr));
        }
        int port = properties.integer("Port", 443, 1, 65535);
        String description = properties.optionalString("Description", DEFAULT_DESCRIPTION);
        if (!DESCRIPTION.matcher(description).matches()) {
            throw SOURCES.invalid("Description", description,
                    "use at most 255 characters from a-z, A-Z, 0-9, spaces and ._-:/()#,@[]+=&;{}!$*");
        }
        return new SecurityGroupIngressRulesProperties(groupId, List.copyOf(cidrs), port, description);
    }

    /** Validates an IPv4 CIDR and returns it unchanged; host bits, IPv6 and 0.0.0.0/0 are refused with a hint. */
    static String canonicalCidr(String cidr) {
        if (cidr.contains(":")) {
            throw SOURCES.invalid("Cidrs", cidr, "only IPv4 CIDRs are supported (e6data's VPC CIDRs are IPv4)");
        }
        Matcher match = IPV4_CIDR.matcher(cidr);
        if (!match.matches()) {
            throw SOURCES.invalid("Cidrs", cidr, "expected an IPv4 CIDR like 10.20.0.0/16");
        }
        long address = 0;
        for (int i = 1; i <= 4; i++) {
            String octet = match.group(i);
            int value = Integer.parseInt(octet);
            if (value > 255 || (octet.length() > 1 && octet.startsWith("0"))) {
                throw SOURCES.invalid("Cidrs", cidr, "expected an IPv4 CIDR like 10.20.0.0/16");
            }
            address = (address << 8) | value;
        }
        int prefix = Integer.parseInt(match.group(5));
        if (prefix > 32) {
            throw SOURCES.invalid("Cidrs", cidr, "the prefix length must be from 1 to 32");
        }
        if (prefix == 0) {
            throw SOURCES.invalid("Cidrs", cidr, "this would open the port to every address; give e6data's VPC CIDRs");
        }
        long mask = (0xFFFFFFFFL << (32 - prefix)) & 0xFFFFFFFFL;
        if ((address & ~mask & 0xFFFFFFFFL) != 0) {
            long network = address & mask;
            String expected = ((network >> 24) & 255) + "." + ((network >> 16) & 255) + "." + ((network >> 8) & 255) + "." + (network & 255) + "/" + prefix;
            throw SOURCES.invalid("Cidrs", cidr, "host bits are set (did you mean " + expected + ")");
        }
        return cidr;
    }
}
