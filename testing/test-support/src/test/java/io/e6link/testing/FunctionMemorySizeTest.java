package io.e6link.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Packaged runs start the JVM with the flags of the function's own MemorySize, not only Globals'. */
class FunctionMemorySizeTest {

    @Test
    void aFunctionsOwnMemorySizeWinsOverGlobalsAndTheOthersKeepGlobals(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("template.yaml");
        Files.writeString(file, """
                Globals:
                  Function: {Runtime: java21, MemorySize: 1024}
                Resources:
                  Sized: {Type: AWS::Serverless::Function, Properties: {Handler: a::b, MemorySize: 512}}
                  Unsized: {Type: AWS::Serverless::Function, Properties: {Handler: a::b}}
                """);
        Template template = Template.load(file);

        assertThat(template.functionProperties("Sized")).containsEntry("MemorySize", 512);
        assertThat(template.functionProperties("Unsized")).containsEntry("MemorySize", 1024);
    }

    @Test
    void theHeapCapIsEightyFivePercentOfTheMemorySize() {
        assertThat(PackagedFunction.lambdaJvmFlags(512)).contains("-XX:MaxHeapSize=435m");
        assertThat(PackagedFunction.lambdaJvmFlags(1769)).contains("-XX:MaxHeapSize=1503m");
    }
}
