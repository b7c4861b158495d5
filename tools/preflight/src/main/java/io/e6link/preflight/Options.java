package io.e6link.preflight;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The command line, parsed once. Each option stands for the stack parameter of the same meaning
 * (named in {@link #USAGE}); options left out take the template's defaults, and the e6data values
 * left out are reported as not checked.
 *
 * @param buckets null when --buckets was not given (E6dataBucketNames not checked)
 * @param cidrs   null when --e6data-cidrs was not given (E6dataVpcCidrs not checked)
 * @param existingS3Endpoint the S3 gateway endpoint to use as is (ExistingS3GatewayEndpointId), or null
 */
public record Options(String cluster, String region, String profile, String e6dataAccount, List<String> buckets,
                      List<String> cidrs, List<String> excludedZones, boolean manageOidcProvider, String existingS3Endpoint,
                      boolean json, boolean local, boolean help) {

    /** template.yaml's defaults; PreflightDefaultsTest keeps them equal. */
    public static final List<String> DEFAULT_EXCLUDED_ZONES = List.of("us-east-1e");
    public static final boolean DEFAULT_MANAGE_OIDC_PROVIDER = true;

    public static final String USAGE = """
            Usage: scripts/preflight --cluster NAME [options]     (read-only; tells what the e6link stack will do here)
                   scripts/preflight --local [options]            (the emulated sample account, no AWS account needed)

              --cluster NAME            EKS cluster (ClusterName)
              --region REGION           the cluster's region (default: AWS_REGION, then the profile's region)
              --profile NAME            AWS CLI profile to read with (default: AWS_PROFILE, then the default chain)
              --e6data-account ID       e6data's 12-digit AWS account (E6dataAccountId)
              --buckets A,B             e6data's S3 buckets (E6dataBucketNames)
              --e6data-cidrs C1,C2      e6data's VPC CIDRs allowed on 443 (E6dataVpcCidrs)
              --excluded-zones Z1,Z2    AZ names or AZ IDs the NLB must avoid (ExcludedAvailabilityZones;
                                        default us-east-1e, as the template; "" for none)
              --manage-oidc-provider B  true|false (ManageOidcProvider, default true)
              --existing-s3-endpoint ID an S3 gateway endpoint the stack uses as is, no route added
                                        (ExistingS3GatewayEndpointId; in a shared VPC, the owner's)
              --json                    print the report as JSON
              --local                   start moto, seed the sample account of ./scripts/deploy, check that

            Exit status: 0 no blockers, 1 blockers found, 2 usage or credential problem.
            """;

    public static Options parse(List<String> args) {
        Map<String, String> values = new LinkedHashMap<>();
        boolean json = false;
        boolean local = false;
        boolean help = false;
        List<String> valued = List.of("--cluster", "--region", "--profile", "--e6data-account", "--buckets", "--e6data-cidrs",
                "--excluded-zones", "--manage-oidc-provider", "--existing-s3-endpoint");
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            String name = arg;
            String value = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                name = arg.substring(0, eq);
                value = arg.substring(eq + 1);
            }
            switch (name) {
                case "--json" -> json = true;
                case "--local" -> local = true;
                case "--help", "-h" -> help = true;
                default -> {
                    if (!valued.contains(name)) {
                        throw new UsageException("Unknown option '" + arg + "'.");
                    }
                    if (value == null) {
                        if (i + 1 >= args.size() || (args.get(i + 1).startsWith("--") && !args.get(i + 1).isEmpty())) {
                            throw new UsageException("Option " + name + " needs a value.");
                        }
                        value = args.get(++i);
                    }
                    if (values.put(name, value.trim()) != null) {
                        throw new UsageException("Option " + name + " was given twice.");
                    }
                }
            }
        }
        String cluster = values.get("--cluster");
        if (!help && !local && (cluster == null || cluster.isEmpty())) {
            throw new UsageException("--cluster is required (the name of the EKS cluster e6data connects to), or --local for the emulated sample account.");
        }
        String manage = values.getOrDefault("--manage-oidc-provider", String.valueOf(DEFAULT_MANAGE_OIDC_PROVIDER));
        if (!manage.equals("true") && !manage.equals("false")) {
            throw new UsageException("--manage-oidc-provider takes true or false, not '" + manage + "'.");
        }
        String existing = blankToNull(values.get("--existing-s3-endpoint"));
        if (existing != null && !existing.matches("vpce-[0-9a-f]{8,17}")) {
            throw new UsageException("--existing-s3-endpoint takes a VPC endpoint id like vpce-0123456789abcdef0 (ExistingS3GatewayEndpointId), not '"
                    + existing + "'.");
        }
        return new Options(cluster, blankToNull(values.get("--region")), blankToNull(values.get("--profile")),
                blankToNull(values.get("--e6data-account")), list(values.get("--buckets")), list(values.get("--e6data-cidrs")),
                values.containsKey("--excluded-zones") ? list(values.get("--excluded-zones")) : DEFAULT_EXCLUDED_ZONES,
                Boolean.parseBoolean(manage), existing, json, local, help);
    }

    /** The same options with what --local fills in for those not given. */
    Options withDefaults(String defaultCluster, String defaultAccount, List<String> defaultBuckets, List<String> defaultCidrs, String defaultRegion) {
        return new Options(cluster == null ? defaultCluster : cluster, region == null ? defaultRegion : region, profile,
                e6dataAccount == null ? defaultAccount : e6dataAccount, buckets == null ? defaultBuckets : buckets,
                cidrs == null ? defaultCidrs : cidrs, excludedZones, manageOidcProvider, existingS3Endpoint, json, local, help);
    }

    /** The stack parameters these options stand for, as `sam deploy --parameter-overrides` takes them. */
    Map<String, String> parameters() {
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("ClusterName", cluster);
        if (e6dataAccount != null) {
            parameters.put("E6dataAccountId", e6dataAccount);
        }
        if (cidrs != null) {
            parameters.put("E6dataVpcCidrs", String.join(",", cidrs));
        }
        if (buckets != null) {
            parameters.put("E6dataBucketNames", String.join(",", buckets));
        }
        parameters.put("ExcludedAvailabilityZones", String.join(",", excludedZones));
        parameters.put("ManageOidcProvider", String.valueOf(manageOidcProvider));
        if (existingS3Endpoint != null) {
            parameters.put("ExistingS3GatewayEndpointId", existingS3Endpoint);
        }
        return parameters;
    }

    private static List<String> list(String value) {
        if (value == null) {
            return null;
        }
        List<String> items = new ArrayList<>();
        for (String item : value.split(",")) {
            if (!item.isBlank() && !items.contains(item.trim())) {
                items.add(item.trim());
            }
        }
        return List.copyOf(items);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    /** A command-line mistake: exit status 2 with the usage text. */
    public static final class UsageException extends RuntimeException {
        public UsageException(String message) {
            super(message);
        }
    }
}
