package io.e6link.kit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResourcePropertiesTest {

    @Test
    void listsAcceptJsonListsAndCommaSeparatedStringsAndDropBlanks() {
        ResourceProperties properties = ResourceProperties.of(Map.of("A", List.of(" 10.0.0.0/16 ", "", "10.1.0.0/16"), "B", "x, y,,z"));

        assertThat(properties.stringList("A", true)).containsExactly("10.0.0.0/16", "10.1.0.0/16");
        assertThat(properties.stringList("B", true)).containsExactly("x", "y", "z");
        assertThat(properties.stringList("Missing", false)).isEmpty();
    }

    @Test
    void requiredListThatIsEmptyNamesTheProperty() {
        assertThatThrownBy(() -> ResourceProperties.of(Map.of("Cidrs", "")).stringList("Cidrs", true))
                .isInstanceOf(InvalidPropertyException.class)
                .hasMessage("Property Cidrs has invalid value '': at least one item is required.");
    }

    @Test
    void booleansAndIntegersArriveAsStringsFromCloudFormation() {
        ResourceProperties properties = ResourceProperties.of(Map.of("Accept", "true", "Wait", "120", "Bad", "maybe", "Big", "9999"));

        assertThat(properties.bool("Accept", false)).isTrue();
        assertThat(properties.bool("Absent", true)).isTrue();
        assertThat(properties.integer("Wait", 0, 0, 780)).isEqualTo(120);
        assertThatThrownBy(() -> properties.bool("Bad", false)).hasMessageContaining("Property Bad has invalid value 'maybe'");
        assertThatThrownBy(() -> properties.integer("Big", 0, 0, 780)).hasMessageContaining("expected an integer from 0 to 780");
    }

    @Test
    void structuredValueWhereAStringIsExpectedIsRejected() {
        assertThatThrownBy(() -> ResourceProperties.of(Map.of("ClusterName", List.of("a", "b"))).requiredString("ClusterName"))
                .hasMessageContaining("Property ClusterName").hasMessageContaining("expected a single string");
    }

    @Test
    void errorsNameTheTemplateParameterOrWhereADerivedValueCameFrom() {
        PropertySources sources = PropertySources.NONE
                .parameter("Cidrs", "E6dataVpcCidrs")
                .parameter("ClusterName", "ClusterName")
                .derived("VpcId", "the VPC of the cluster named by ClusterName");
        ResourceProperties properties = ResourceProperties.of(Map.of("Cidrs", "", "ClusterName", List.of("a"), "Port", "x")).from(sources);

        assertThatThrownBy(() -> properties.stringList("Cidrs", true))
                .hasMessage("E6dataVpcCidrs (property Cidrs) has invalid value '': at least one item is required.");
        assertThatThrownBy(() -> properties.requiredString("ClusterName"))
                .hasMessage("ClusterName has invalid value '[a]': expected a single string.");
        assertThatThrownBy(() -> properties.requiredString("VpcId"))
                .hasMessage("Property VpcId (the VPC of the cluster named by ClusterName) is missing: a value is required.");
        assertThatThrownBy(() -> properties.integer("Port", 443, 1, 65535))
                .hasMessage("Property Port has invalid value 'x': expected an integer from 1 to 65535.");
        assertThat(properties.invalid("Cidrs", "10.99.0.1/16", "host bits are set (did you mean 10.99.0.0/16)"))
                .isInstanceOf(InvalidPropertyException.class)
                .hasMessage("E6dataVpcCidrs (property Cidrs) has invalid value '10.99.0.1/16': host bits are set (did you mean 10.99.0.0/16).");
    }

    @Test
    void reasonBodyStaysWithinTheLimitWithMultiByteCharacters() {
        CustomResourceRequest request = new CustomResourceRequest(RequestType.Create, "r", "arn:aws:cloudformation:us-east-1:123456789012:stack/s/1",
                "L", "Custom::T", null, "http://x", ResourceProperties.of(Map.of()), ResourceProperties.of(Map.of()));

        String body = ResponseBody.failed(request, "id", "ü€".repeat(3000));

        assertThat(body.getBytes(java.nio.charset.StandardCharsets.UTF_8).length).isLessThanOrEqualTo(ResponseBody.MAX_BYTES);
        assertThat(request.accountId()).isEqualTo("123456789012");
    }
}
