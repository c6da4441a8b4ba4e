package com.trueftp.aws;

import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;

import java.util.function.Consumer;

/**
 * A call the SDK must not retry: an attempt that timed out may still be applied (late), and a retry would then
 * apply a non-idempotent change, such as adding to a counter, twice. One attempt leaves at most one change,
 * and the caller, told it failed, errs on the side it chose.
 */
public final class SingleAttempt {
    private SingleAttempt() {
    }

    public static Consumer<AwsRequestOverrideConfiguration.Builder> only() {
        return o -> o.addPlugin(config -> config.overrideConfiguration(
                c -> c.retryStrategy(AwsRetryStrategy.doNotRetry())));
    }
}
