package com.trueftp.admin;

/** A refused admin command: the message goes to stderr as it is. */
final class AdminException extends RuntimeException {
    private final int exitCode;

    AdminException(String message) {
        this(message, 1);
    }

    AdminException(String message, int exitCode) {
        super(message, null, false, false);
        this.exitCode = exitCode;
    }

    static AdminException usage(String message) {
        return new AdminException(message, 2);
    }

    int exitCode() {
        return exitCode;
    }
}
