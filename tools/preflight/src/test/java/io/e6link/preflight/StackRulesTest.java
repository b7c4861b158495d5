package io.e6link.preflight;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The preflight reports a bad E6dataVpcCidrs value with the very reason the stack would fail with: it calls
 * Custom::SecurityGroupIngressRules' own check (no copy). No AWS call is made for CIDRs it refuses.
 */
class StackRulesTest {
    @Test
    void aCidrTheResourceRefusesIsABlockerWithTheResourcesReason() {
        Options options = Options.parse(List.of("--cluster", "analytics", "--e6data-cidrs", "10.200.0.1/16,10.201.0.0/16,fd00::/8"));
        Section section = new Section("443 from e6data");

        new IngressCheck(null).run(options, Optional.empty(), section);

        assertThat(section.findings()).filteredOn(finding -> "E6dataVpcCidrs".equals(finding.parameter())).extracting(Finding::text)
                .containsExactly(
                        "E6dataVpcCidrs (property Cidrs) has invalid value '10.200.0.1/16': host bits are set (did you mean 10.200.0.0/16).",
                        "E6dataVpcCidrs (property Cidrs) has invalid value 'fd00::/8': only IPv4 CIDRs are supported (e6data's VPC CIDRs are IPv4).");
    }
}
