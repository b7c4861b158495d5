package io.e6link.testing.aws;

import java.util.UUID;

/**
 * A request the emulated world refuses because AWS would: the error code and message AWS sends,
 * rendered in the caller's protocol so the SDK raises the same exception type it raises on AWS.
 * The rules and their sources are listed in docs/aws-rules.md.
 */
public final class AwsRuleViolation extends RuntimeException {
    private final int status;
    private final String code;

    public AwsRuleViolation(int status, String code, String message) {
        super(message);
        this.status = status;
        this.code = code;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    /**
     * The error body: EC2's {@code Response/Errors}, S3's bare {@code Error}, the REST-JSON services' (EKS, Lambda)
     * {@code {"__type", "message"}} object, or the awsQuery {@code ErrorResponse}.
     */
    public String body(String service) {
        String requestId = UUID.randomUUID().toString();
        String message = xml(getMessage());
        return switch (service) {
            case "ec2" -> "<Response><Errors><Error><Code>" + code + "</Code><Message>" + message + "</Message></Error></Errors><RequestID>"
                    + requestId + "</RequestID></Response>";
            case "eks", "lambda" -> "{\"__type\":\"" + code + "\",\"message\":\"" + getMessage().replace("\\", "\\\\").replace("\"", "\\\"") + "\"}";
            case "s3" -> "<Error><Code>" + code + "</Code><Message>" + message + "</Message><RequestId>" + requestId + "</RequestId></Error>";
            default -> "<ErrorResponse><Error><Type>Sender</Type><Code>" + code + "</Code><Message>" + message
                    + "</Message></Error><RequestId>" + requestId + "</RequestId></ErrorResponse>";
        };
    }

    private static String xml(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
