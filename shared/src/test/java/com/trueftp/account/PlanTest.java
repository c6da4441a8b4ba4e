package com.trueftp.account;

import com.trueftp.auth.ApiKey;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/** What the plans promise relative to each other and to the limits that enforce them. */
class PlanTest {
    private static final List<Plan> PAID = Arrays.stream(Plan.values()).filter(Plan::apiAccess).toList();

    @Test
    void everyPlanParsesFromItsIdAndNothingElseParses() {
        for (Plan plan : Plan.values()) {
            assertThat(Plan.parse(plan.id())).contains(plan);
            assertThat(Plan.parse(plan.id().toUpperCase(Locale.ROOT))).isEmpty();
        }
        assertThat(Plan.parse("enterprise")).isEmpty();
        assertThat(Plan.parse(null)).isEmpty();
    }

    @Test
    void theEdgesDailyQuotaNeverRefusesWhatTheHourlyLimitAdmits() {
        for (Plan plan : Plan.values()) {
            assertThat((long) plan.dailyQuota()).as(plan.id()).isGreaterThanOrEqualTo(24L * plan.maxKeyRateLimit());
        }
    }

    @Test
    void theEdgeThrottleLetsAKeyUseItsWholeHourlyLimit() {
        for (Plan plan : Plan.values()) {
            assertThat(plan.throttleRatePerSecond() * 3600L).as(plan.id()).isGreaterThanOrEqualTo(plan.maxKeyRateLimit());
            assertThat(plan.throttleBurst()).as(plan.id()).isGreaterThanOrEqualTo(plan.throttleRatePerSecond());
        }
    }

    @Test
    void aNewKeysDefaultLimitFitsEveryPaidPlan() {
        assertThat(PAID).isNotEmpty().allSatisfy(plan ->
                assertThat(plan.maxKeyRateLimit()).isGreaterThanOrEqualTo(ApiKey.DEFAULT_RATE_LIMIT));
    }

    @Test
    void aHigherPlanAllowsAtLeastAsMuchOfEverything() {
        Plan[] plans = Plan.values();
        for (int i = 1; i < plans.length; i++) {
            Plan lower = plans[i - 1];
            Plan higher = plans[i];
            assertThat(higher.ftpUserLimit()).isGreaterThanOrEqualTo(lower.ftpUserLimit());
            assertThat(higher.storageBytesLimit()).isGreaterThanOrEqualTo(lower.storageBytesLimit());
            assertThat(higher.maxKeyRateLimit()).isGreaterThanOrEqualTo(lower.maxKeyRateLimit());
            assertThat(higher.throttleRatePerSecond()).isGreaterThanOrEqualTo(lower.throttleRatePerSecond());
        }
    }
}
