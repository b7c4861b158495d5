package io.e6link.kit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.retries.api.BackoffStrategy;

/** Polling on a manual clock: each pause moves the clock instead of sleeping, so no test waits. */
class PollingTest {
    /** 100 ms, 200 ms, 400 ms, then 500 ms: no jitter, so the pauses can be compared. */
    private static final BackoffStrategy DOUBLING = BackoffStrategy.exponentialDelayWithoutJitter(Duration.ofMillis(100), Duration.ofMillis(500));

    private final AtomicLong now = new AtomicLong(1_000_000);
    private final List<Long> pauses = new ArrayList<>();
    private final Clock clock = new Clock() {
        @Override
        public long millis() {
            return now.get();
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(now.get());
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException("not needed");
        }
    };
    private final Polling polling = new Polling(DOUBLING, now::get, (deadline, duration) -> {
        pauses.add(duration.toMillis());
        now.addAndGet(duration.toMillis());
    });

    private Deadline deadline(long budgetMillis) {
        return new Deadline(clock, Duration.ofMillis(budgetMillis));
    }

    /** A probe that answers the given values in turn and counts its calls. */
    private static Supplier<String> answers(AtomicInteger calls, String... values) {
        Iterator<String> next = List.of(values).iterator();
        return () -> {
            calls.incrementAndGet();
            return next.next();
        };
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            done at once                           | 60000 | 10000 | done                          | 1 | ''                 | done
            done on the third probe                | 60000 | 10000 | no,no,done                    | 3 | 100,200            | done
            never done: the last pause ends at it  | 60000 | 1000  | no,no,no,no,no,no,no,no       | 5 | 100,200,400,300    | no
            the deadline is sooner than the bound  | 450   | 10000 | no,no,no,no,no,no,no,no       | 4 | 100,200,150        | no
            a zero bound probes once               | 60000 | 0     | no,no                         | 1 | ''                 | no
            """)
    void probesUntilDoneOrTheBoundPassesPausingAsTheBackoffSays(String name, long budget, long bound, String answers,
                                                               int probes, String expectedPauses, String last) {
        AtomicInteger calls = new AtomicInteger();

        String result = polling.until(deadline(budget), Duration.ofMillis(bound), answers(calls, answers.split(",")), "done"::equals);

        assertThat(result).isEqualTo(last);
        assertThat(calls).hasValue(probes);
        assertThat(pauses).containsExactlyElementsOf(expectedPauses.isEmpty() ? List.of()
                : List.of(expectedPauses.split(",")).stream().map(Long::valueOf).toList());
    }

    @Test
    void whatAProbeThrowsEndsTheWaitAtOnce() {
        AtomicInteger calls = new AtomicInteger();

        assertThatThrownBy(() -> polling.until(deadline(60_000), Duration.ofSeconds(10), () -> {
            calls.incrementAndGet();
            throw new CustomResourceException("gone");
        }, result -> false)).hasMessage("gone");
        assertThat(calls).hasValue(1);
        assertThat(pauses).isEmpty();
    }

    @Test
    void transientFailuresAreRetriedWithTheStepNamingTheLastOneAndTheResultIsReturned() {
        Deadline deadline = deadline(60_000);
        deadline.step("writing the policy of bucket data");
        List<String> stepsSeen = new ArrayList<>();
        AtomicInteger calls = new AtomicInteger();

        String result = polling.retry(deadline, Duration.ofSeconds(10), () -> {
            stepsSeen.add(deadline.currentStep());
            if (calls.incrementAndGet() < 3) {
                throw awsError(409, "OperationAborted");
            }
            return "written";
        }, PollingTest::isConflict);

        assertThat(result).isEqualTo("written");
        assertThat(stepsSeen).containsExactly("writing the policy of bucket data",
                "writing the policy of bucket data (retrying after OperationAborted)",
                "writing the policy of bucket data (retrying after OperationAborted)");
        assertThat(deadline.currentStep()).isEqualTo("writing the policy of bucket data");
        assertThat(pauses).containsExactly(100L, 200L);
    }

    @Test
    void aFailureThatIsNotTransientIsThrownAtOnceAndOneThatOutlastsTheBoundOnceItHasPassed() {
        AwsServiceException denied = awsError(403, "AccessDenied");
        AwsServiceException conflict = awsError(409, "OperationAborted");
        AtomicInteger calls = new AtomicInteger();

        assertThatThrownBy(() -> polling.retry(deadline(60_000), Duration.ofSeconds(10), () -> {
            calls.incrementAndGet();
            throw denied;
        }, PollingTest::isConflict)).isSameAs(denied);
        assertThat(calls).hasValue(1);

        assertThatThrownBy(() -> polling.retry(deadline(60_000), Duration.ofMillis(1000), () -> {
            calls.incrementAndGet();
            throw conflict;
        }, PollingTest::isConflict)).isSameAs(conflict);
        assertThat(calls).hasValue(1 + 5);
        assertThat(pauses).containsExactly(100L, 200L, 400L, 300L);
    }

    @ParameterizedTest(name = "wants {0} ms, {1} ms left, keeps {2} ms: {3} ms")
    @CsvSource({
            "120000, 840000, 5000, 120000",
            "300000, 12000, 5000, 7000",
            "300000, 4000, 5000, 0"})
    void theBoundIsWhatIsWantedOrWhatTheDeadlineLeavesBeyondTheReserve(long wanted, long remaining, long reserve, long bound) {
        assertThat(Polling.bound(Duration.ofMillis(wanted), deadline(remaining), Duration.ofMillis(reserve))).isEqualTo(Duration.ofMillis(bound));
    }

    @Test
    void lambdaPollingSleepsTheThreadOnTheSystemClock() {
        Polling lambda = Polling.withBackoff(BackoffStrategy.fixedDelayWithoutJitter(Duration.ofMillis(5)));
        AtomicInteger calls = new AtomicInteger();
        long started = System.nanoTime();

        Integer result = lambda.until(Deadline.after(Duration.ofSeconds(10)), Duration.ofSeconds(5), calls::incrementAndGet, count -> count == 3);

        assertThat(result).isEqualTo(3);
        assertThat(System.nanoTime() - started).isGreaterThanOrEqualTo(Duration.ofMillis(10).toNanos());
    }

    private static boolean isConflict(RuntimeException failure) {
        return "OperationAborted".equals(AwsErrors.errorCode(failure));
    }

    private static AwsServiceException awsError(int status, String code) {
        return AwsServiceException.builder().statusCode(status)
                .awsErrorDetails(AwsErrorDetails.builder().serviceName("S3").errorCode(code).errorMessage(code).build()).build();
    }
}
