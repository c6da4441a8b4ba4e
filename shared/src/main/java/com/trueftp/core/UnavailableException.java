package com.trueftp.core;

/** Not now: a dependency is down or an account is too contended. Retrying shortly is expected to work. */
public final class UnavailableException extends DomainException {
    public static final String MESSAGE = "service temporarily unavailable, retry shortly";
    /** How long a client should wait before retrying. */
    public static final int RETRY_AFTER_SECONDS = 5;

    public UnavailableException() {
        super(MESSAGE);
    }
}
