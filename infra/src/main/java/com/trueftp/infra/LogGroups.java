package com.trueftp.infra;

import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;

/** The stack's log groups: kept a month, and deleted with the stack (they hold no customer data). */
final class LogGroups {
    private LogGroups() {
    }

    static LogGroup create(Stack stack, String id) {
        return LogGroup.Builder.create(stack, id)
                .retention(RetentionDays.ONE_MONTH)
                .removalPolicy(RemovalPolicy.DESTROY)
                .build();
    }
}
