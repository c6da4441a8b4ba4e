package com.trueftp.auth;

import com.trueftp.core.DomainException;

/** No usable credentials: the same answer for a missing, malformed, unknown, revoked or expired token. */
public final class UnauthenticatedException extends DomainException {
    public static final String MESSAGE = "missing, invalid or expired token";

    public UnauthenticatedException() {
        super(MESSAGE);
    }
}
