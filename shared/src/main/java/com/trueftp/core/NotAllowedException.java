package com.trueftp.core;

/** The caller may not do this: a quota would be passed, a scope or plan is missing, the account is suspended. */
public final class NotAllowedException extends DomainException {
    public NotAllowedException(String message) {
        super(message);
    }
}
