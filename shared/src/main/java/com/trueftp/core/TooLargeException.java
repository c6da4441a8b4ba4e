package com.trueftp.core;

/** The request carries more than the operation takes. */
public final class TooLargeException extends DomainException {
    public TooLargeException(String message) {
        super(message);
    }
}
