package io.e6link.kit;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The JSON document CloudFormation reads from the response URL, kept within the 4096-byte limit:
 * a too-long Reason is truncated; Data that does not fit turns a SUCCESS into a FAILED that says so.
 */
public final class ResponseBody {
    public static final int MAX_BYTES = 4096;
    private static final String ELLIPSIS = " [...]";

    private ResponseBody() {
    }

    public static String success(CustomResourceRequest request, Outcome outcome) {
        String body = render("SUCCESS", "See the details in CloudWatch Log Stream", request, outcome.physicalResourceId(), outcome.data());
        int size = bytes(body);
        if (size <= MAX_BYTES) {
            return body;
        }
        return failed(request, outcome.physicalResourceId(), "The response data is " + size
                + " bytes, over the " + MAX_BYTES + "-byte limit of CloudFormation custom resources.");
    }

    public static String failed(CustomResourceRequest request, String physicalResourceId, String reason) {
        String oneLine = reason == null ? "Unknown error" : reason.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
        String body = render("FAILED", oneLine, request, physicalResourceId, Map.of());
        int excess = bytes(body) - MAX_BYTES;
        while (excess > 0) {
            // Cut by characters, re-measure in bytes: multi-byte characters make one pass inexact.
            int keep = Math.max(0, oneLine.length() - excess - ELLIPSIS.length());
            oneLine = oneLine.substring(0, keep) + ELLIPSIS;
            body = render("FAILED", oneLine, request, physicalResourceId, Map.of());
            excess = bytes(body) - MAX_BYTES;
        }
        return body;
    }

    private static String render(String status, String reason, CustomResourceRequest request,
                                 String physicalResourceId, Map<String, String> data) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("Status", status);
        body.put("Reason", reason);
        body.put("PhysicalResourceId", physicalResourceId);
        body.put("StackId", request.stackId());
        body.put("RequestId", request.requestId());
        body.put("LogicalResourceId", request.logicalResourceId());
        body.put("NoEcho", false);
        body.put("Data", data);
        return Json.write(body);
    }

    private static int bytes(String body) {
        return body.getBytes(StandardCharsets.UTF_8).length;
    }
}
