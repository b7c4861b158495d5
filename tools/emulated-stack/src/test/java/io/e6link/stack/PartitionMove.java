package io.e6link.stack;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The emulated world (partition {@code aws}, region us-east-1) as a region of another partition would
 * name the same things, for evaluating the roles' policies there. Written out as AWS documents each
 * partition, not derived from the code under test:
 * <ul>
 *   <li>ARNs carry the partition ({@code arn:aws-cn:}, {@code arn:aws-us-gov:}) and the region;
 *   <li>{@code AWS::URLSuffix} is {@code amazonaws.com.cn} in China, {@code amazonaws.com} in GovCloud
 *       (CloudFormation pseudo parameter reference), so the EKS OIDC issuer is
 *       {@code oidc.eks.cn-north-1.amazonaws.com.cn} (terraform-aws-eks #1704, eksctl #1910);
 *   <li>AWS endpoint services are named by the reversed DNS suffix: {@code cn.com.amazonaws.cn-north-1.s3}
 *       (describe-vpc-endpoint-services in cn-north-1; aws-cdk PR #16139);
 *   <li>service principals ({@code lambda.amazonaws.com}) and the IRSA audience {@code sts.amazonaws.com}
 *       are the same in every partition (aws-cdk #2198, eksctl #1910): nothing to move.
 * </ul>
 *
 * @param partition       the partition id
 * @param region          a region of it
 * @param urlSuffix       its {@code AWS::URLSuffix}
 * @param servicePrefix   the prefix of its AWS endpoint service names
 */
record PartitionMove(String partition, String region, String urlSuffix, String servicePrefix) implements UnaryOperator<String> {
    static final PartitionMove CHINA = new PartitionMove("aws-cn", "cn-north-1", "amazonaws.com.cn", "cn.com.amazonaws");
    static final PartitionMove GOVCLOUD = new PartitionMove("aws-us-gov", "us-gov-west-1", "amazonaws.com", "com.amazonaws");
    static final List<PartitionMove> OTHER_PARTITIONS = List.of(CHINA, GOVCLOUD);

    private static final String FROM = NativeResources.REGION;

    /** AWS::Partition, AWS::Region and AWS::URLSuffix there. */
    Map<String, String> pseudoParameters() {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("AWS::Partition", partition);
        values.put("AWS::Region", region);
        values.put("AWS::URLSuffix", urlSuffix);
        return values;
    }

    /** A string of the emulated world (an ARN, an OIDC issuer, an endpoint service name, a region) as named there. */
    @Override
    public String apply(String value) {
        if (value.equals(FROM)) {
            return region;
        }
        return value.replace("oidc.eks." + FROM + ".amazonaws.com", "oidc.eks." + region + "." + urlSuffix)
                .replace("com.amazonaws." + FROM + ".", servicePrefix + "." + region + ".")
                .replace("com.amazonaws.vpce." + FROM + ".", servicePrefix + ".vpce." + region + ".")
                .replace("arn:aws:", "arn:" + partition + ":")
                .replace(":" + FROM + ":", ":" + region + ":");
    }

    /** The request as the same call there would be authorized. */
    IamEvaluation.Request apply(IamEvaluation.Request request) {
        Map<String, Object> context = new LinkedHashMap<>();
        request.context().forEach((key, value) -> context.put(key, value instanceof List<?> list
                ? list.stream().map(item -> apply(String.valueOf(item))).toList() : apply(String.valueOf(value))));
        return new IamEvaluation.Request(request.id(), request.principal(), request.action(), apply(request.resource()), context);
    }

    @Override
    public String toString() {
        return partition + " (" + region + ")";
    }
}
