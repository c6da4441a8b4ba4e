package com.trueftp.http;

import com.trueftp.auth.Scope;

/**
 * One endpoint: method, path template relative to {@link Routes#BASE_PATH} (e.g. {@code /ftp-users/{id}}),
 * the function that serves it and the scope it needs.
 */
public record Route(String method, String path, LambdaFunction function, Scope scope) {

    /** The path as API Gateway reports it in {@code resource}: the full template. */
    public String resource() {
        return Routes.BASE_PATH + path;
    }

    @Override
    public String toString() {
        return method + " " + path;
    }
}
