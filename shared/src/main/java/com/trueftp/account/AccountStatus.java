package com.trueftp.account;

import com.trueftp.core.Identified;

import java.util.Optional;

public enum AccountStatus implements Identified {
    ACTIVE, SUSPENDED;

    public static Optional<AccountStatus> parse(String id) {
        return Identified.parse(AccountStatus.class, id);
    }
}
