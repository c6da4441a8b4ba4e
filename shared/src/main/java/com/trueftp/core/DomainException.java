package com.trueftp.core;

/**
 * A request the domain refuses, with a message for the client. Domain code throws one of the few kinds below
 * and knows nothing of HTTP; the request pipeline turns each kind into its answer, in one place.
 */
public abstract class DomainException extends RuntimeException {
    protected DomainException(String message) {
        super(message, null, false, false); // no stack trace: these are answers, not bugs
    }
}
