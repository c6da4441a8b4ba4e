package com.trueftp.core;

/** The request contradicts what exists (a name taken, a file where a folder should be), or what it measured changed under it. */
public final class ConflictException extends DomainException {
    public ConflictException(String message) {
        super(message);
    }
}
