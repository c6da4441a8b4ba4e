package com.trueftp.http;

import com.trueftp.auth.Scope;

/**
 * One endpoint: method, path template relative to {@link Routes#BASE_PATH} (e.g. {@code /ftp-users/{id}}),
 * the function that serves it and the scope it needs.
 */
public record Route(String method, String path, LambdaFunction function, Scope scope) {

    /**
     * Whether the endpoint only reads, so it may run while the rate limiter is still counting the request
     * (its answer is discarded if the count refuses it). A GET that records something must not be a read here.
     */
    public boolean isRead() {
        return method.equals("GET");
    }

    /** The path as API Gateway reports it in {@code resource}: the full template. */
    public String resource() {
        return Routes.BASE_PATH + path;
    }

    @Override
    public String toString() {
        return method + " " + path;
    }
}
