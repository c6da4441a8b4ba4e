package com.trueftp.auth;

import com.trueftp.account.AccountStatus;
import com.trueftp.account.Plan;
import com.trueftp.core.NotAllowedException;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CallerTest {
    private static Caller caller(Set<Scope> scopes, Plan plan, AccountStatus status) {
        return new Caller("acc_1", "key_1", scopes, plan, status, 1000);
    }

    @Test
    void survivesTheTripThroughTheAuthorizerContextAsStrings() {
        Caller caller = caller(EnumSet.of(Scope.READ, Scope.WRITE), Plan.BUSINESS, AccountStatus.ACTIVE);
        Map<String, Object> context = caller.toAuthorizerContext();
        assertThat(context.values()).allMatch(v -> v instanceof String);
        assertThat(Caller.fromAuthorizerContext(new HashMap<>(context))).isEqualTo(caller);
    }

    @Test
    void missingOrGarbledContextIsUnauthenticated() {
        assertThatThrownBy(() -> Caller.fromAuthorizerContext(null)).isInstanceOf(UnauthenticatedException.class);
        Map<String, Object> garbled = new HashMap<>(caller(EnumSet.of(Scope.READ), Plan.PRO, AccountStatus.ACTIVE)
                .toAuthorizerContext());
        garbled.put("plan", "platinum");
        assertThatThrownBy(() -> Caller.fromAuthorizerContext(garbled)).isInstanceOf(UnauthenticatedException.class);
    }

    @Test
    void suspendedAccountIsRefusedAndTheMessageSaysSo() {
        assertThatThrownBy(() -> caller(EnumSet.of(Scope.READ), Plan.PRO, AccountStatus.SUSPENDED).requireApiAccess())
                .isInstanceOf(NotAllowedException.class).hasMessageContaining("suspended");
    }

    @Test
    void freePlanIsRefusedAndTheMessageSaysPaidPlansOnly() {
        assertThatThrownBy(() -> caller(EnumSet.of(Scope.READ), Plan.FREE, AccountStatus.ACTIVE).requireApiAccess())
                .isInstanceOf(NotAllowedException.class).hasMessageContaining("paid plans only");
    }

    @Test
    void missingScopeIsNamed() {
        assertThatThrownBy(() -> caller(EnumSet.of(Scope.READ), Plan.PRO, AccountStatus.ACTIVE).requireScope(Scope.WRITE))
                .isInstanceOf(NotAllowedException.class).hasMessage("missing required scope: write");
        assertThatThrownBy(() -> caller(EnumSet.of(Scope.WRITE), Plan.PRO, AccountStatus.ACTIVE).requireScope(Scope.READ))
                .hasMessage("missing required scope: read");
    }
}
