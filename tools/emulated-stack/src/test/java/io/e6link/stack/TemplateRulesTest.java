package io.e6link.stack;

import static org.assertj.core.api.Assertions.assertThat;

import io.e6link.testing.Template;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TemplateRulesTest {
    @Test
    void templateYamlDeploysInAnyAccount() {
        TemplateRules.assertDeployableInAnyAccount(Template.load());
    }

    @Test
    void theRulesCatchReservedConcurrencyTheAwsManagedSnsKeyAndAPipeInTheOwnershipTag(@TempDir Path dir) throws Exception {
        Path broken = dir.resolve("template.yaml");
        Files.writeString(broken, """
                Resources:
                  Reconciler:
                    Type: AWS::Lambda::Function
                    Properties: {ReservedConcurrentExecutions: 1}
                  AlarmTopic:
                    Type: AWS::SNS::Topic
                    Properties: {KmsMasterKeyId: alias/aws/sns}
                  Owned:
                    Type: Custom::Thing
                    Properties: {}
                """);
        Template template = Template.load(broken);

        assertThat(TemplateRules.reservedConcurrency(template)).containsExactly("Reconciler reserves 1");
        assertThat(TemplateRules.alarmTopicsUnderAwsManagedKey(template)).containsExactly("AlarmTopic uses alias/aws/sns");
        assertThat(io.e6link.kit.Ownership.ownerValue(TemplateRules.LONGEST_STACK_ID, "Owned")).hasSizeLessThanOrEqualTo(256);
        assertThat(TemplateRules.illegalOwnershipTags(template)).isEmpty();
    }
}
