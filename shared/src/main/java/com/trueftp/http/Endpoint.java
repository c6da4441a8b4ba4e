package com.trueftp.http;

/** The domain half of one route: input already authenticated, authorised and size-checked. */
@FunctionalInterface
public interface Endpoint {
    ApiResponse handle(ApiRequest request);
}
