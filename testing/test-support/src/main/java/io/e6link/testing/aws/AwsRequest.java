package io.e6link.testing.aws;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One AWS API request as it reaches the emulated world, parsed far enough to apply AWS's rules and
 * derive IAM authorization requests: the signing service and access key (from the SigV4
 * {@code Authorization} header), the API action, and the parameters in the Query protocol's form
 * ({@code Tag.1.Key}) for EC2, ELB and IAM; the path and query for the REST APIs (S3, EKS).
 *
 * @param service   the SigV4 signing name: {@code ec2}, {@code elasticloadbalancing}, {@code iam}, {@code s3}, {@code eks}
 * @param accessKey the caller's access key id, which names the caller in the emulated world
 * @param region    the SigV4 signing region
 * @param action    the API operation name ({@code CreateVpcEndpoint}); for REST calls derived from method and path
 * @param params    Query-protocol parameters (empty for REST)
 * @param body      the raw request body
 */
public record AwsRequest(String service, String accessKey, String region, String method, URI uri, String action,
                         Map<String, List<String>> params, byte[] body) {
    private static final Pattern CREDENTIAL = Pattern.compile("Credential=([^/]+)/[^/]+/([^/]+)/([^/]+)/aws4_request");

    static AwsRequest parse(String method, URI uri, String authorization, byte[] body) {
        return parse(method, uri, authorization, null, body);
    }

    /** @param target the {@code X-Amz-Target} header of JSON-protocol APIs ({@code CloudTrail_20131101.DescribeTrails}), or null */
    static AwsRequest parse(String method, URI uri, String authorization, String target, byte[] body) {
        String accessKey = "anonymous";
        String region = "us-east-1";
        String service = "unknown";
        Matcher credential = authorization == null ? null : CREDENTIAL.matcher(authorization);
        if (credential != null && credential.find()) {
            accessKey = credential.group(1);
            region = credential.group(2);
            service = credential.group(3);
        }
        Map<String, List<String>> params = new LinkedHashMap<>();
        String action;
        if (target != null && target.contains(".")) {
            action = target.substring(target.lastIndexOf('.') + 1);
        } else if (service.equals("lambda") && uri.getPath().endsWith("/account-settings/")) {
            action = "GetAccountSettings";
        } else if (service.equals("s3") || service.equals("eks") || service.equals("lambda")) {
            action = restAction(service, method, uri);
        } else {
            parseForm(new String(body, StandardCharsets.UTF_8), params);
            parseForm(uri.getRawQuery() == null ? "" : uri.getRawQuery(), params);
            action = first(params, "Action");
        }
        return new AwsRequest(service, accessKey, region, method, uri, action == null ? "Unknown" : action, params, body);
    }

    /** The IAM action this call is authorized as: service prefix + ":" + operation. */
    public String iamAction() {
        return service + ":" + action;
    }

    public String param(String name) {
        return first(params, name);
    }

    /** Values of a Query-protocol list: {@code prefix.1}, {@code prefix.2}, ... */
    public List<String> list(String prefix) {
        List<String> values = new ArrayList<>();
        for (int i = 1; params.containsKey(prefix + "." + i); i++) {
            values.add(first(params, prefix + "." + i));
        }
        return values;
    }

    /** Key/value pairs of a Query-protocol tag list such as {@code TagSpecification.1.Tag} or {@code Tags.member}. */
    public Map<String, String> tags(String prefix) {
        Map<String, String> tags = new LinkedHashMap<>();
        for (int i = 1; params.containsKey(prefix + "." + i + ".Key"); i++) {
            String value = first(params, prefix + "." + i + ".Value");
            tags.put(first(params, prefix + "." + i + ".Key"), value == null ? "" : value);
        }
        return tags;
    }

    /** The first path segment of a path-style S3 request: the bucket. */
    public String bucket() {
        String path = uri.getPath();
        String trimmed = path.startsWith("/") ? path.substring(1) : path;
        int slash = trimmed.indexOf('/');
        return slash < 0 ? trimmed : trimmed.substring(0, slash);
    }

    /** The last path segment (the EKS cluster name of {@code /clusters/<name>}). */
    public String lastPathSegment() {
        String path = uri.getPath();
        return URLDecoder.decode(path.substring(path.lastIndexOf('/') + 1), StandardCharsets.UTF_8);
    }

    private static String restAction(String service, String method, URI uri) {
        String query = uri.getRawQuery() == null ? "" : uri.getRawQuery();
        String path = uri.getPath();
        if (service.equals("eks")) {
            return method.equals("GET") && path.matches("/clusters/[^/]+") ? "DescribeCluster"
                    : method.equals("GET") && path.equals("/clusters") ? "ListClusters"
                    : method.equals("POST") && path.equals("/clusters") ? "CreateCluster" : method + " " + path;
        }
        boolean policy = List.of(query.split("&")).contains("policy") || query.startsWith("policy=");
        boolean bucketOnly = path.chars().filter(c -> c == '/').count() <= 1 || path.endsWith("/") && path.chars().filter(c -> c == '/').count() == 2;
        if (policy) {
            return switch (method.toUpperCase(Locale.ROOT)) {
                case "GET" -> "GetBucketPolicy";
                case "PUT" -> "PutBucketPolicy";
                case "DELETE" -> "DeleteBucketPolicy";
                default -> method + " ?policy";
            };
        }
        if (path.equals("/") && method.equals("GET")) {
            return "ListAllMyBuckets";
        }
        if (bucketOnly && method.equals("PUT") && query.isEmpty()) {
            return "CreateBucket";
        }
        if (bucketOnly && method.equals("DELETE") && query.isEmpty()) {
            return "DeleteBucket";
        }
        return method + " " + path + (query.isEmpty() ? "" : "?" + query);
    }

    private static void parseForm(String form, Map<String, List<String>> into) {
        if (form.isEmpty()) {
            return;
        }
        for (String pair : form.split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            into.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
        }
    }

    private static String first(Map<String, List<String>> params, String key) {
        List<String> values = params.get(key);
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}
