package com.trueftp.core;

/** The input breaks a rule (a path, a field, a parameter): nothing was changed. */
public final class InvalidInputException extends DomainException {
    public InvalidInputException(String message) {
        super(message);
    }
}
