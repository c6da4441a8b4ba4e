package com.trueftp.http;

import com.trueftp.auth.Caller;
import com.trueftp.core.Json;
import com.trueftp.core.Text;

import java.io.IOException;
import java.util.Map;
import java.util.Optional;

/** A request that passed the pipeline's checks, with the caller it belongs to (null on a public route). */
@SuppressWarnings("ArrayRecordComponent") // a request is read, never compared
public record ApiRequest(Route route, Caller caller, Map<String, String> pathParameters,
                         Map<String, String> query, Map<String, String> headers, byte[] body, String requestId) {

    public String pathParameter(String name) {
        String value = pathParameters.get(name);
        if (value == null) {
            throw new IllegalStateException("route " + route + " has no path parameter " + name);
        }
        return value;
    }

    public Optional<String> query(String name) {
        return Optional.ofNullable(query.get(name));
    }

    public Optional<String> header(String name) {
        return Optional.ofNullable(headers.get(name)); // headers is case-insensitive
    }

    /** The body as a JSON object, or 400 saying what is wrong with it. */
    public Map<String, Object> jsonBody() {
        if (body.length == 0) {
            throw ApiException.badRequest("request body is required: send a JSON object");
        }
        String text = Text.utf8(body).orElseThrow(() -> ApiException.badRequest("request body is not valid UTF-8"));
        try {
            return Json.readObject(text);
        } catch (IOException e) {
            throw ApiException.badRequest("request body is not a valid JSON object");
        }
    }
}
