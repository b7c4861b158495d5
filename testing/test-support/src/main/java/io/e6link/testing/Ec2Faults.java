package io.e6link.testing;

import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.withSettings;

import org.mockito.AdditionalAnswers;
import org.mockito.MockMakers;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;

/**
 * Faults in EC2 calls that the emulated world cannot produce on cue (a rule appearing between a read and a
 * write, an answer lost on the way back), for the resource tests: a client that forwards to the emulator
 * except where a test stubs a call, and the error EC2 answers with. Mockito is an optional dependency of
 * test-support: modules that use this class have it in their test scope.
 */
public final class Ec2Faults {
    private Ec2Faults() {
    }

    /**
     * A Mockito mock that forwards every call to {@code delegate} except where a test stubs it. The subclass
     * mock maker: the default inline one retransforms the ~700 default methods of Ec2Client, which costs
     * about 20 s on a loaded 2-core machine.
     */
    public static Ec2Client delegatingMock(Ec2Client delegate) {
        return mock(Ec2Client.class, withSettings().mockMaker(MockMakers.SUBCLASS).defaultAnswer(AdditionalAnswers.delegatesTo(delegate)));
    }

    /** The exception the SDK raises for an EC2 error answer: HTTP {@code status}, EC2's error {@code code} and {@code message}. */
    public static Ec2Exception error(int status, String code, String message) {
        return (Ec2Exception) Ec2Exception.builder().statusCode(status).message(message)
                .awsErrorDetails(AwsErrorDetails.builder().serviceName("EC2").errorCode(code).errorMessage(message).build()).build();
    }
}
