package com.trueftp.account;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PlanTest {
    private static final long GIB = 1024L * 1024 * 1024;

    @Test
    void paidPlansHaveApiAccessAndTheirQuotas() {
        assertThat(Plan.PRO.apiAccess()).isTrue();
        assertThat(Plan.PRO.ftpUserLimit()).isEqualTo(25);
        assertThat(Plan.PRO.storageBytesLimit()).isEqualTo(100 * GIB);
        assertThat(Plan.BUSINESS.ftpUserLimit()).isEqualTo(250);
        assertThat(Plan.BUSINESS.storageBytesLimit()).isEqualTo(1024 * GIB);
    }

    @Test
    void freePlanHasNoApiAccess() {
        assertThat(Plan.FREE.apiAccess()).isFalse();
    }

    @Test
    void parsesOnlyLowerCaseIds() {
        assertThat(Plan.parse("pro")).contains(Plan.PRO);
        assertThat(Plan.parse("PRO")).isEmpty();
        assertThat(Plan.parse("enterprise")).isEmpty();
    }
}
