package com.trueftp.core;

/** What the request names does not exist, or belongs to another account (which must look the same). */
public final class NotFoundException extends DomainException {
    public NotFoundException(String message) {
        super(message);
    }
}
