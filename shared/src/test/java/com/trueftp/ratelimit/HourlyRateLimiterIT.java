package com.trueftp.ratelimit;

import com.trueftp.account.AccountStatus;
import com.trueftp.account.Plan;
import com.trueftp.auth.Caller;
import com.trueftp.auth.Scope;
import com.trueftp.core.RandomIds;
import com.trueftp.testing.AwsUnderTest;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The limiter's window arithmetic and counter, on the emulated DynamoDB with a fixed clock. */
class HourlyRateLimiterIT {
    private static final Instant T = Instant.parse("2026-11-27T10:59:30Z");
    private final AwsUnderTest aws = AwsUnderTest.emulators();

    private HourlyRateLimiter limiterAt(Instant now) {
        return new HourlyRateLimiter(aws.dynamo(), aws.config(), Clock.fixed(now, ZoneOffset.UTC));
    }

    private static Caller key(int limit) {
        return new Caller("acc_1", RandomIds.newId("key"), EnumSet.of(Scope.READ), Plan.PRO, AccountStatus.ACTIVE, limit);
    }

    @Test
    void countsDownWithinTheClockHourAndResetsAtItsEnd() {
        Caller caller = key(2);
        long reset = Instant.parse("2026-11-27T11:00:00Z").getEpochSecond();
        assertThat(limiterAt(T).acquire(caller)).isEqualTo(new RateLimit(2, 1, reset));
        assertThat(limiterAt(T.plusSeconds(10)).acquire(caller)).isEqualTo(new RateLimit(2, 0, reset));

        RateLimitExceededException refused = catchThrowableOfType(RateLimitExceededException.class,
                () -> limiterAt(T.plusSeconds(20)).acquire(caller));
        assertThat(refused).hasMessage("rate limit exceeded: 2 requests per hour");
        assertThat(refused.retryAfterSeconds()).isEqualTo(10);
        assertThat(refused.standing()).isEqualTo(new RateLimit(2, 0, reset));

        assertThat(limiterAt(Instant.parse("2026-11-27T11:00:00Z")).acquire(caller))
                .isEqualTo(new RateLimit(2, 1, reset + 3600));
    }

    @Test
    void retryAfterIsAtLeastOneSecond() {
        Caller caller = key(1);
        Instant lastMoment = Instant.parse("2026-11-27T11:59:59.900Z");
        limiterAt(lastMoment).acquire(caller);
        assertThat(catchThrowableOfType(RateLimitExceededException.class, () -> limiterAt(lastMoment).acquire(caller))
                .retryAfterSeconds()).isEqualTo(1);
    }

    @Test
    void refusedRequestsDoNotCountAndCountersExpireAfterTheirWindow() {
        Caller caller = key(1);
        limiterAt(T).acquire(caller);
        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> limiterAt(T).acquire(caller)).isInstanceOf(RateLimitExceededException.class);
        }
        long windowStart = Instant.parse("2026-11-27T10:00:00Z").getEpochSecond();
        Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> item = aws.dynamo().getItem(b -> b
                .tableName(aws.config().require("RATE_LIMITS_TABLE"))
                .key(Map.of("counter_id", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS(
                        caller.keyId() + "#" + windowStart)))).item();
        assertThat(item.get("count").n()).isEqualTo("1");
        assertThat(Long.parseLong(item.get("expires_at").n())).isEqualTo(windowStart + 2 * 3600);
    }

    @Test
    void keysAreCountedIndependently() {
        Caller first = key(1);
        Caller second = key(1);
        limiterAt(T).acquire(first);
        assertThat(limiterAt(T).acquire(second).remaining()).isZero();
        assertThatThrownBy(() -> limiterAt(T).acquire(first)).isInstanceOf(RateLimitExceededException.class);
    }
}
