package io.e6link.eksclusterdiscovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.e6link.kit.InvalidPropertyException;
import io.e6link.kit.ResourceProperties;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.services.ec2.model.Subnet;

/**
 * ExcludedAvailabilityZones as tables: which entries parse (zone names and zone ids, any case, not
 * checked against the region), which are refused with a reason naming the parameter, and which
 * subnets an exclusion hits. No AWS, no moto.
 */
class ZoneExclusionsTest {

    @ParameterizedTest(name = "''{0}'' -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            us-east-1e                          | us-east-1e
            use1-az3                            | use1-az3
            US-EAST-1E, Use1-AZ3                | us-east-1e,use1-az3
            us-east-1e,US-EAST-1E, us-east-1e   | us-east-1e
            us-east-1a,use1-az6                 | us-east-1a,use1-az6
            us-gov-west-1a,usgw1-az2            | us-gov-west-1a,usgw1-az2
            cn-north-1b,cnn1-az2                | cn-north-1b,cnn1-az2
            ap-southeast-2c,apse2-az1           | ap-southeast-2c,apse2-az1
            us-east-1-bos-1a,use1-bos1-az1      | us-east-1-bos-1a,use1-bos1-az1
            eu-west-1a                          | eu-west-1a
            ' , ,'                              | ''
            ''                                  | ''
            """)
    void entriesAreZoneNamesOrIdsInLowerCaseWithoutDuplicates(String given, String expected) {
        assertThat(parse(given).entries()).containsExactlyElementsOf(list(expected));
    }

    @ParameterizedTest(name = "''{0}'' names ''{1}''")
    @CsvSource(delimiter = '|', textBlock = """
            us-east-1                 | us-east-1
            us-east-1e us-east-1f     | us-east-1e us-east-1f
            us-east-1e;us-east-1f     | us-east-1e;us-east-1f
            use1                      | use1
            use1-az                   | use1-az
            us-east-1e,1e             | 1e
            US-EAST-1E, az3           | az3
            subnet-0123456789abcdef0  | subnet-0123456789abcdef0
            """)
    void anythingElseFailsNamingTheParameterTheWholeValueAndTheBadEntry(String given, String badEntry) {
        String joined = String.join(",", Arrays.stream(given.split(",")).map(String::trim).toList());
        assertThatThrownBy(() -> parse(given)).isInstanceOf(InvalidPropertyException.class)
                .hasMessage("ExcludedAvailabilityZones has invalid value '" + joined + "': expected availability zone names (us-east-1e)"
                        + " or zone ids (use1-az3), separated by commas; '" + badEntry.toLowerCase() + "' is neither.");
    }

    /** Zone names map to other physical zones in each account, so a subnet is hit by its name or by its zone id. */
    @ParameterizedTest(name = "{0} excludes {1} ({2}): {3}")
    @CsvSource({
            "us-east-1a,           us-east-1a, use1-az6, true",
            "use1-az6,             us-east-1a, use1-az6, true",
            "US-East-1A,           us-east-1a, use1-az6, true",
            "USE1-AZ6,             us-east-1a, use1-az6, true",
            "'us-east-1b,use1-az3', us-east-1a, use1-az6, false",
            "use1-az6,             us-east-1b, use1-az1, false",
            "us-east-1e,           us-east-1a, use1-az6, false",
            "eu-west-1a,           us-east-1a, use1-az6, false",
            "use1-az6,             us-east-1a,         , false",
            "us-east-1a,           us-east-1a,         , true",
            "'',                   us-east-1a, use1-az6, false"})
    void aSubnetIsExcludedByItsZoneNameOrItsZoneId(String excluded, String zone, String zoneId, boolean hit) {
        Subnet subnet = Subnet.builder().subnetId("subnet-1").availabilityZone(zone).availabilityZoneId(zoneId).build();

        assertThat(parse(excluded).excludes(subnet)).isEqualTo(hit);
    }

    /** The one place this test touches the kit's property reader: the parameter arrives as CloudFormation sends it. */
    private static ZoneExclusions parse(String value) {
        return ZoneExclusions.parse(ResourceProperties.of(Map.of(ZoneExclusions.PROPERTY, value)));
    }

    private static List<String> list(String commaSeparated) {
        return commaSeparated.isEmpty() ? List.of() : List.of(commaSeparated.split(","));
    }
}
