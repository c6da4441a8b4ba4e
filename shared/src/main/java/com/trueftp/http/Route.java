package com.trueftp.http;

import com.trueftp.auth.Scope;
import com.trueftp.stack.LambdaFunction;

/**
 * One endpoint: method, path template relative to {@link Routes#BASE_PATH} (e.g. {@code /ftp-users/{id}}),
 * the function that serves it, the scope it needs, the largest body it takes and whether it only reads.
 *
 * @param scope        the scope a key needs; null for the one public route, which takes no token at all
 * @param readOnly     whether the endpoint only reads ({@link #isRead}): it writes nothing, ever (the request's hourly
 *                     count aside), so it may run while the rate limiter is still counting the request (its
 *                     answer is discarded if the count refuses it); an endpoint that records something (a
 *                     download's event) is not read-only even when its method is GET
 * @param maxBodyBytes larger request bodies are refused with 413 and {@code tooLarge} before the endpoint runs
 */
public record Route(String method, String path, LambdaFunction function, Scope scope, boolean readOnly,
                    int maxBodyBytes, String tooLarge) {
    /** JSON bodies are small; this keeps a hostile one from costing memory. */
    public static final int MAX_JSON_BODY_BYTES = 64 * 1024;

    /** A route with a JSON body (if any): GET reads with the read scope, every other method writes. */
    public Route(String method, String path, LambdaFunction function, Scope scope) {
        this(method, path, function, scope, method.equals("GET"), MAX_JSON_BODY_BYTES,
                "request body too large: at most " + MAX_JSON_BODY_BYTES + " bytes");
    }

    /** A request without side effects: it writes nothing (checked for every such route by a test). */
    public boolean isRead() {
        return readOnly;
    }

    /** Served to anyone, without a token: no caller, no hourly count. */
    public boolean isPublic() {
        return scope == null;
    }

    /** This route, but it records something: it waits for the rate limiter like a write. */
    public Route recording() {
        return new Route(method, path, function, scope, false, maxBodyBytes, tooLarge);
    }

    /** This route, taking bodies up to {@code bytes}; a larger one is answered 413 with {@code tooLarge}. */
    public Route bodyUpTo(int bytes, String tooLarge) {
        return new Route(method, path, function, scope, readOnly, bytes, tooLarge);
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
