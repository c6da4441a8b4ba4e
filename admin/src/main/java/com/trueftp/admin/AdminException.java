package com.trueftp.admin;

/** A refused admin command: the message goes to stderr as it is. */
final class AdminException extends RuntimeException {
    private final int exitCode;

    AdminException(String message) {
        this(message, 1);
    }

    private AdminException(String message, int exitCode) {
        super(message, null, false, false);
        this.exitCode = exitCode;
    }

    /** A wrong command line (exit code 2). */
    static AdminException usage(String message) {
        return new AdminException(message, 2);
    }

    static AdminException noSuchAccount(String id) {
        return new AdminException("no such account: " + id);
    }

    int exitCode() {
        return exitCode;
    }
}
