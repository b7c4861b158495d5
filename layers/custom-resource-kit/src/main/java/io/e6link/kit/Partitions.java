package io.e6link.kit;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import software.amazon.awssdk.regions.PartitionMetadata;
import software.amazon.awssdk.regions.Region;

/**
 * What differs between AWS partitions ({@code aws}, {@code aws-cn}, {@code aws-us-gov}) for a region,
 * read from the SDK's partition metadata ({@link PartitionMetadata}) rather than from region-name
 * prefixes: the partition id that ARNs carry and the DNS suffix hosts end in ({@code amazonaws.com},
 * {@code amazonaws.com.cn}).
 */
public final class Partitions {
    private Partitions() {
    }

    /**
     * @param region a region id such as {@code cn-north-1}
     * @return the partition id ARNs in that region carry: {@code aws}, {@code aws-cn} or {@code aws-us-gov}
     */
    public static String partitionOf(String region) {
        return metadata(region).id();
    }

    /**
     * @param region a region id
     * @return the DNS suffix of the region's partition ({@code amazonaws.com}, {@code amazonaws.com.cn}), which
     *         CloudFormation's {@code AWS::URLSuffix} also returns
     */
    public static String dnsSuffix(String region) {
        return metadata(region).dnsSuffix();
    }

    /**
     * The name AWS gives an AWS service's VPC endpoint service: the partition's DNS suffix reversed, the
     * region, the service ({@code com.amazonaws.us-east-1.s3}, {@code cn.com.amazonaws.cn-north-1.s3};
     * aws ec2 describe-vpc-endpoint-services in cn-north-1, aws-cdk PR #16139).
     *
     * @param region  a region id
     * @param service the service's endpoint prefix ({@code s3})
     * @return the endpoint service name
     */
    public static String endpointServiceName(String region, String service) {
        List<String> labels = Arrays.asList(dnsSuffix(region).split("\\."));
        Collections.reverse(labels);
        return String.join(".", labels) + "." + region + "." + service;
    }

    private static PartitionMetadata metadata(String region) {
        return PartitionMetadata.of(Region.of(region));
    }
}
