package io.e6link.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import io.e6link.testing.Moto;
import io.e6link.testing.MotoExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** scripts/release against moto's S3: what lands where, and when it refuses to publish. */
@ExtendWith(MotoExtension.class)
class ReleaseScriptIT {
    private static final String VERSION = "1.4.0";
    private static final String EAST = "us-east-1";
    private static final String WEST = "eu-west-1";
    private static final String EAST_BUCKET = "acme-e6link-us-east-1";
    private static final String WEST_BUCKET = "acme-e6link-eu-west-1";

    @TempDir
    Path temp;

    private ReleaseWorkspace workspace(Moto moto) {
        ReleaseWorkspace workspace = new ReleaseWorkspace(temp, moto);
        workspace.createBucket(EAST_BUCKET, EAST);
        workspace.createBucket(WEST_BUCKET, WEST);
        return workspace;
    }

    private static String[] release(String... extra) {
        String[] base = {"--version", VERSION, "--bucket-prefix", "acme-e6link", "--regions", EAST + "," + WEST};
        String[] all = new String[base.length + extra.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(extra, 0, all, base.length, extra.length);
        return all;
    }

    @Test
    void releaseUploadsEveryArtifactAndBothTemplatesUnderTheVersionInEachRegionalBucket(Moto moto) throws IOException {
        // Given two regional buckets and the built artifacts
        ReleaseWorkspace workspace = workspace(moto);

        // When
        ReleaseWorkspace.Result result = workspace.release(release());

        // Then every region holds the same code and templates, byte for byte
        assertThat(result.exitCode()).as(result.toString()).isZero();
        Map<String, byte[]> expected = new LinkedHashMap<>();
        for (String artifact : ReleaseWorkspace.artifacts()) {
            expected.put(ReleaseWorkspace.key(VERSION, artifact), workspace.bytes(artifact));
        }
        expected.put("e6link/" + VERSION + "/template.yaml", Files.readAllBytes(workspace.dist(VERSION).resolve("template.yaml")));
        expected.put("e6link/" + VERSION + "/template-expanded.yaml", Files.readAllBytes(workspace.dist(VERSION).resolve("template-expanded.yaml")));
        assertThat(expected).containsKeys("e6link/1.4.0/layers/custom-resource-kit-layer.zip", "e6link/1.4.0/functions/oidc-provider.zip");
        for (Map<String, byte[]> uploaded : new Map[] {workspace.objects(EAST_BUCKET, EAST), workspace.objects(WEST_BUCKET, WEST)}) {
            assertThat(uploaded.keySet()).containsExactlyInAnyOrderElementsOf(expected.keySet());
            expected.forEach((key, bytes) -> assertThat(uploaded.get(key)).as(key).isEqualTo(bytes));
        }
    }

    @Test
    void republishingAVersionIsRefusedLeavingItUntouchedUntilForced(Moto moto) throws IOException {
        // Given version 1.4.0 already published, then a rebuilt function
        ReleaseWorkspace workspace = workspace(moto);
        assertThat(workspace.release(release()).exitCode()).isZero();
        Map<String, byte[]> published = workspace.objects(EAST_BUCKET, EAST);
        workspace.writeZip("functions/oidc-provider/target/oidc-provider.zip", "rebuilt with other code");
        byte[] rebuilt = workspace.bytes("functions/oidc-provider/target/oidc-provider.zip");

        // When it is released again without --force
        ReleaseWorkspace.Result again = workspace.release(release());

        // Then nothing changes and the message says how to proceed
        assertThat(again.exitCode()).as(again.toString()).isEqualTo(1);
        assertThat(again.stderr()).contains("version 1.4.0 is already published", "s3://acme-e6link-us-east-1/e6link/1.4.0/",
                "s3://acme-e6link-eu-west-1/e6link/1.4.0/", "nothing was uploaded", "--force");
        assertThat(workspace.objects(EAST_BUCKET, EAST)).containsExactlyInAnyOrderEntriesOf(published);

        // When it is released with --force
        ReleaseWorkspace.Result forced = workspace.release(release("--force"));

        // Then both regions carry the rebuilt code
        assertThat(forced.exitCode()).as(forced.toString()).isZero();
        assertThat(forced.stdout()).contains("overwrote (--force)");
        assertThat(workspace.objects(EAST_BUCKET, EAST).get("e6link/1.4.0/functions/oidc-provider.zip")).isEqualTo(rebuilt);
        assertThat(workspace.objects(WEST_BUCKET, WEST).get("e6link/1.4.0/functions/oidc-provider.zip")).isEqualTo(rebuilt);
    }

    @Test
    void refusesBeforeUploadingAnywhereWhenOnlyOneRegionAlreadyHasTheVersion(Moto moto) {
        // Given eu-west-1 holds an object of 1.4.0 (say, from an interrupted release) and us-east-1 nothing
        ReleaseWorkspace workspace = workspace(moto);
        workspace.putObject(WEST_BUCKET, WEST, "e6link/1.4.0/functions/oidc-provider.zip", "earlier upload");

        // When
        ReleaseWorkspace.Result result = workspace.release(release());

        // Then
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
        assertThat(result.stderr()).contains("s3://acme-e6link-eu-west-1/e6link/1.4.0/").doesNotContain("s3://acme-e6link-us-east-1/e6link/1.4.0/");
        assertThat(workspace.objects(EAST_BUCKET, EAST)).isEmpty();
        assertThat(workspace.objects(WEST_BUCKET, WEST)).containsOnlyKeys("e6link/1.4.0/functions/oidc-provider.zip");
    }

    @Test
    void failsNamingTheMissingArtifactsAndTheBuildCommandBeforeTouchingS3(Moto moto) throws IOException {
        // Given the layer was never built
        ReleaseWorkspace workspace = workspace(moto);
        Files.delete(workspace.source.resolve("layers/custom-resource-kit/target/custom-resource-kit-layer.zip"));

        // When
        ReleaseWorkspace.Result result = workspace.release(release());

        // Then
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
        assertThat(result.stderr()).contains("build artifacts are missing", "./mvnw -B package -DskipTests",
                "layers/custom-resource-kit/target/custom-resource-kit-layer.zip").doesNotContain("oidc-provider.zip");
        assertThat(workspace.objects(EAST_BUCKET, EAST)).isEmpty();
        assertThat(workspace.dist(VERSION)).doesNotExist();
    }

    @Test
    void failsNamingTheBucketToCreateWhenARegionHasNone(Moto moto) {
        // Given only the us-east-1 bucket exists
        ReleaseWorkspace workspace = new ReleaseWorkspace(temp, moto);
        workspace.createBucket(EAST_BUCKET, EAST);

        // When
        ReleaseWorkspace.Result result = workspace.release(release());

        // Then
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
        assertThat(result.stderr()).contains("bucket acme-e6link-eu-west-1 does not exist", "aws s3 mb s3://acme-e6link-eu-west-1 --region eu-west-1");
        assertThat(workspace.objects(EAST_BUCKET, EAST)).isEmpty();
    }

    @Test
    void refusesABucketThatLivesInAnotherRegionBecauseLambdaCodeMustBeInTheStacksRegion(Moto moto) {
        // Given the bucket named for eu-west-1 was created in eu-central-1
        ReleaseWorkspace workspace = new ReleaseWorkspace(temp, moto);
        workspace.createBucket(EAST_BUCKET, EAST);
        workspace.createBucket(WEST_BUCKET, "eu-central-1");

        // When
        ReleaseWorkspace.Result result = workspace.release(release());

        // Then
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(1);
        assertThat(result.stderr()).contains("bucket acme-e6link-eu-west-1 is in eu-central-1, not eu-west-1");
        assertThat(workspace.objects(EAST_BUCKET, EAST)).isEmpty();
    }

    /** China: S3 hosts end in amazonaws.com.cn and the console is console.amazonaws.cn (docs/distribution.md, "China and GovCloud"). */
    @Test
    void aChinaReleaseLinksToChinasConsoleAndS3Hosts(Moto moto) throws IOException {
        ReleaseWorkspace workspace = new ReleaseWorkspace(temp, moto);
        workspace.createBucket("acme-e6link-cn-north-1", "cn-north-1");

        ReleaseWorkspace.Result result = workspace.release("--version", VERSION, "--bucket-prefix", "acme-e6link", "--regions", "cn-north-1",
                "--param", "E6dataAccountId=111122223333");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        String links = Files.readString(workspace.dist(VERSION).resolve("launch-links.md"));
        assertThat(links).contains("Quick-create URL: https://console.amazonaws.cn/cloudformation/home?region=cn-north-1#/stacks/quickcreate"
                        + "?templateURL=https%3A%2F%2Facme-e6link-cn-north-1.s3.cn-north-1.amazonaws.com.cn%2Fe6link%2F1.4.0%2Ftemplate.yaml"
                        + "&stackName=e6link&param_E6dataAccountId=111122223333\n",
                "Expanded template URL (Service Catalog, StackSets): https://acme-e6link-cn-north-1.s3.cn-north-1.amazonaws.com.cn/e6link/1.4.0/template-expanded.yaml")
                .doesNotContain("console.aws.amazon.com");
        // Only the Launch Stack button image is served from outside the partition (docs/distribution.md).
        assertThat(links.replace("https://s3.amazonaws.com/cloudformation-examples/cloudformation-launch-stack.png", "")).doesNotContain(".amazonaws.com/");
        assertThat(workspace.objects("acme-e6link-cn-north-1", "cn-north-1")).containsKey("e6link/1.4.0/template.yaml");
    }

    @Test
    void refusesRegionsOfTwoPartitionsInOneRunBeforeAnyWork(Moto moto) {
        ReleaseWorkspace workspace = workspace(moto);

        ReleaseWorkspace.Result mixed = workspace.release("--version", VERSION, "--bucket-prefix", "acme-e6link", "--regions", EAST + ",us-gov-west-1");

        assertThat(mixed.exitCode()).isEqualTo(2);
        assertThat(mixed.stderr()).contains("--regions mixes partitions (us-east-1 is aws, us-gov-west-1 is aws-us-gov)");
        assertThat(workspace.objects(EAST_BUCKET, EAST)).isEmpty();
    }

    @Test
    void rejectsBadArgumentsWithUsageExitCodeBeforeAnyWork(Moto moto) {
        ReleaseWorkspace workspace = workspace(moto);

        ReleaseWorkspace.Result notSemantic = workspace.release("--version", "v1", "--bucket-prefix", "acme-e6link", "--regions", EAST);
        ReleaseWorkspace.Result noRegions = workspace.release("--version", VERSION, "--bucket-prefix", "acme-e6link");
        ReleaseWorkspace.Result unknownParam = workspace.release(release("--param", "ClusterNme=prod"));

        assertThat(notSemantic.exitCode()).isEqualTo(2);
        assertThat(notSemantic.stderr()).contains("--version 'v1' is not a semantic version");
        assertThat(noRegions.exitCode()).isEqualTo(2);
        assertThat(noRegions.stderr()).contains("--regions is required");
        assertThat(unknownParam.exitCode()).isEqualTo(1);
        assertThat(unknownParam.stderr()).contains("--param names no parameter of template.yaml: ClusterNme");
        assertThat(workspace.objects(EAST_BUCKET, EAST)).isEmpty();
    }
}
