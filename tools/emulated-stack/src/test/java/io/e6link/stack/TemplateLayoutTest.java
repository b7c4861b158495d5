package io.e6link.stack;

import static org.assertj.core.api.Assertions.assertThat;

import io.e6link.testing.Events;
import io.e6link.testing.Template;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * template.yaml reads in the runbook's order (issue 24 §6): the steps first, each under its {@code # ---- Step N:}
 * header from 0 to 7, then the scheduled functions, alarms and dashboard, then the plumbing (layer, log groups,
 * roles). CloudFormation ignores the order; the emulated stack does too ({@link StackModel#order()}).
 */
class TemplateLayoutTest {
    private static final Pattern STEP_HEADER = Pattern.compile("(?m)^  # ---- Step (\\d+):");

    @Test
    void templateYamlOpensWithTheRunbookStepsInOrderAndEndsWithThePlumbing() throws IOException {
        Path file = Events.projectRoot().resolve("template.yaml");

        assertThat(problems(Template.load(file), Files.readString(file))).isEmpty();
    }

    @Test
    void aLogGroupBeforeTheStepsARoleBeforeTheAlarmsAndStepsOutOfOrderAreNamed(@TempDir Path dir) throws IOException {
        String text = """
                Resources:
                  ThingLogGroup: {Type: AWS::Logs::LogGroup, Properties: {}}
                  # ---- Step 1: the second step --------
                  Second: {Type: Custom::Second, Properties: {}}
                  # ---- Step 0: the first step ---------
                  First: {Type: Custom::First, Properties: {}}
                  Alarm: {Type: AWS::CloudWatch::Alarm, Properties: {}}
                  ThingRole: {Type: AWS::IAM::Role, Properties: {}}
                  Topic: {Type: AWS::SNS::Topic, Properties: {}}
                """;
        Path file = Files.writeString(dir.resolve("template.yaml"), text);

        assertThat(problems(Template.load(file), text)).containsExactly(
                "step headers in the order [1, 0], not 0, 1, ... 7",
                "ThingLogGroup (AWS::Logs::LogGroup) before the runbook step First",
                "ThingRole (AWS::IAM::Role) before the operations resource Topic");
    }

    /** What breaks the layout, one line each; empty when the template reads in the runbook's order. */
    @SuppressWarnings("unchecked")
    static List<String> problems(Template template, String text) {
        List<String> problems = new ArrayList<>();
        List<Integer> steps = new ArrayList<>();
        Matcher resources = Pattern.compile("(?m)^Resources:").matcher(text);
        Matcher header = STEP_HEADER.matcher(resources.find() ? text.substring(resources.start()) : "");
        while (header.find()) {
            steps.add(Integer.valueOf(header.group(1)));
        }
        if (!steps.equals(IntStream.rangeClosed(0, 7).boxed().toList())) {
            problems.add("step headers in the order " + steps + ", not 0, 1, ... 7");
        }
        List<String> ids = new ArrayList<>(template.section("Resources").keySet());
        String lastStep = null;
        String lastOperation = null;
        for (String id : ids) {
            String type = String.valueOf(((Map<String, Object>) template.section("Resources").get(id)).get("Type"));
            if (isStep(type)) {
                lastStep = id;
            } else if (type.startsWith("AWS::CloudWatch::") || type.startsWith("AWS::SNS::")) {
                lastOperation = id;
            }
        }
        for (String id : ids) {
            String type = String.valueOf(((Map<String, Object>) template.section("Resources").get(id)).get("Type"));
            boolean plumbing = type.equals("AWS::Logs::LogGroup") || type.equals("AWS::IAM::Role") || type.equals("AWS::Serverless::LayerVersion");
            if (!isStep(type) && lastStep != null && ids.indexOf(id) < ids.indexOf(lastStep)) {
                problems.add(id + " (" + type + ") before the runbook step " + lastStep);
            } else if (plumbing && lastOperation != null && ids.indexOf(id) < ids.indexOf(lastOperation)) {
                problems.add(id + " (" + type + ") before the operations resource " + lastOperation);
            }
        }
        return problems;
    }

    /** The runbook's own resources: the custom resources and the native load balancing and endpoint service ones. */
    private static boolean isStep(String type) {
        return type.startsWith("Custom::") || type.startsWith("AWS::ElasticLoadBalancingV2::") || type.startsWith("AWS::EC2::");
    }
}
