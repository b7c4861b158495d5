package io.e6link.preflight;

import io.e6link.kit.AwsErrors;
import java.util.Locale;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * The AWS login cannot be used: exit status 2 with what is wrong and the command that fixes it
 * ("run aws sso login --profile X"). Made from the first call's failure by {@link #of}.
 */
final class LoginProblem extends RuntimeException {
    private final String fix;

    LoginProblem(String reason, String fix) {
        super(reason);
        this.fix = fix;
    }

    String fix() {
        return fix;
    }

    /** One line: the reason, then the fix. */
    String sentence() {
        return getMessage() + " Fix: " + fix + ".";
    }

    /**
     * What a failed {@code sts:GetCallerIdentity} says about the login, or null when the failure is
     * something else (the caller reports it as it is).
     *
     * @param profile the profile in use, or null
     */
    static LoginProblem of(Throwable failure, String profile, String region) {
        String login = profile == null ? "aws sso login (or aws configure)" : "aws sso login --profile " + profile;
        String named = profile == null ? "your credentials" : "the credentials of profile '" + profile + "'";
        String message = messageChain(failure);
        String lower = message.toLowerCase(Locale.ROOT);
        if (failure instanceof AwsServiceException) {
            String code = AwsErrors.errorCode(failure);
            switch (code) {
                case "ExpiredToken", "ExpiredTokenException", "RequestExpired", "TokenRefreshRequired" -> {
                    return new LoginProblem("AWS says " + named + " have expired (" + code + ").", "run " + login + ", then run the preflight again");
                }
                case "InvalidClientTokenId", "UnrecognizedClientException", "InvalidAccessKeyId" -> {
                    return new LoginProblem("AWS does not recognise the access key of " + named + " (" + code + "), or region " + region
                            + " is not enabled for the account.", "run " + login + " or check AWS_ACCESS_KEY_ID, and pass the cluster's --region");
                }
                case "SignatureDoesNotMatch", "IncompleteSignature" -> {
                    return new LoginProblem("AWS refused the signature of " + named + " (" + code + "): the secret key does not match the access key.",
                            "run " + login + " or fix AWS_SECRET_ACCESS_KEY");
                }
                default -> {
                    return null;
                }
            }
        }
        if (!(failure instanceof SdkClientException)) {
            return null;
        }
        if (lower.contains("sso")) {
            return new LoginProblem("The AWS SSO session of " + (profile == null ? "your profile" : "profile '" + profile + "'")
                    + " has expired or was never started (" + firstLine(message) + ").", "run " + login + ", then run the preflight again");
        }
        if (lower.contains("unable to load credentials") || lower.contains("unable to load aws credentials")) {
            return new LoginProblem("No AWS credentials were found (environment, profile"
                    + (profile == null ? "" : " '" + profile + "'") + ", container or instance role).",
                    "run " + login + ", or export AWS_PROFILE=<profile> and pass --profile");
        }
        if (lower.contains("expired")) {
            return new LoginProblem("The AWS credentials of " + named + " have expired (" + firstLine(message) + ").",
                    "run " + login + ", then run the preflight again");
        }
        if (lower.contains("unknownhost") || lower.contains("unable to execute http request") || lower.contains("connect")) {
            return new LoginProblem("AWS STS in region " + region + " could not be reached (" + firstLine(message) + ").",
                    "check the network or proxy and that --region " + region + " is right");
        }
        return new LoginProblem("The AWS login could not be used (" + firstLine(message) + ").", "run " + login + ", then run the preflight again");
    }

    private static String messageChain(Throwable failure) {
        StringBuilder text = new StringBuilder();
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause.getMessage() != null) {
                text.append(cause.getMessage()).append(' ');
            }
        }
        return text.toString().trim();
    }

    private static String firstLine(String message) {
        String line = message.lines().findFirst().orElse(message).trim();
        return line.length() > 300 ? line.substring(0, 300) + "…" : line;
    }
}
