package com.trueftp.http;

import com.trueftp.core.Json;
import com.trueftp.idempotency.IdempotencyRecords;
import software.amazon.awssdk.core.exception.SdkException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * POSTs sent with an {@code Idempotency-Key}: the first request with a key runs and its answer is kept for a
 * day; the same request again gets that answer ({@code Idempotent-Replayed: true}) without running twice, a
 * different request with the key is 422, and one that arrives while the first still runs is 409. An answer
 * worth retrying (409, 429, 5xx) is not kept: the key is freed and the next attempt runs anew.
 */
final class IdempotentPosts {
    static final String HEADER = "Idempotency-Key";
    static final String REPLAYED = "Idempotent-Replayed";
    /** 1–255 printable ASCII characters, not starting or ending with a space. */
    private static final Pattern KEY = Pattern.compile("[\\x21-\\x7E](?:[\\x20-\\x7E]{0,253}[\\x21-\\x7E])?");
    /** Answers that say "try again": kept, they would be replayed instead of letting the retry succeed. */
    private static final Set<Integer> NOT_KEPT = Set.of(409, 429);

    private final IdempotencyRecords records;

    IdempotentPosts(IdempotencyRecords records) {
        this.records = records;
    }

    ApiResponse handle(ApiRequest request, Endpoint endpoint) {
        String key = request.header(HEADER).orElse(null);
        if (key == null) {
            return endpoint.handle(request);
        }
        if (!KEY.matcher(key).matches()) {
            throw ApiException.badRequest(HEADER + " must be 1 to 255 printable ASCII characters");
        }
        String account = request.caller().accountId();
        IdempotencyRecords.Outcome outcome = records.begin(account, key, fingerprint(request));
        if (outcome instanceof IdempotencyRecords.Running) {
            throw new ApiException(409, "a request with this " + HEADER + " is still in progress: retry once it "
                    + "has answered");
        }
        if (outcome instanceof IdempotencyRecords.OtherRequest) {
            throw new ApiException(422, "this " + HEADER + " was used for a different request in the last 24 hours: "
                    + "use a new key for a new request");
        }
        if (outcome instanceof IdempotencyRecords.Answered answered) {
            Map<String, String> headers = new HashMap<>(answered.headers());
            headers.put(REPLAYED, "true");
            return new ApiResponse(answered.status(), answered.body() == null ? null : parse(answered.body()), headers);
        }
        IdempotencyRecords.Started started = (IdempotencyRecords.Started) outcome;
        ApiResponse response;
        try {
            response = endpoint.handle(request);
        } catch (RuntimeException e) {
            ApiException answer = ErrorAnswers.of(e);
            if (answer != null && answer.status() < 500 && !NOT_KEPT.contains(answer.status())) {
                keep(account, key, started, answer.status(), answer.headers(), Json.write(Map.of("error", answer.getMessage())));
            } else {
                releaseQuietly(account, key, started);
            }
            throw e;
        }
        keep(account, key, started, response.status(), response.headers(),
                response.body() == null ? null : Json.write(response.body()));
        return response;
    }

    /** The request's route, path parameters, query and body: what makes two requests the same. */
    private static String fingerprint(ApiRequest request) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            String head = request.route() + "\n" + new TreeMap<>(request.pathParameters()) + "\n"
                    + new TreeMap<>(request.query()) + "\n";
            sha.update(head.getBytes(StandardCharsets.UTF_8));
            sha.update(request.body());
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    /** The answer went out whether or not it could be kept: a retry then finds the key running, later free. */
    private void keep(String account, String key, IdempotencyRecords.Started started, int status,
                      Map<String, String> headers, String body) {
        try {
            records.finish(account, key, started, status, headers, body);
        } catch (SdkException unreachable) {
            // kept as running: a retry is 409 until the run counts as abandoned, then runs again
        }
    }

    private void releaseQuietly(String account, String key, IdempotencyRecords.Started started) {
        try {
            records.release(account, key, started);
        } catch (SdkException unreachable) {
            // kept as running until the run counts as abandoned
        }
    }

    private static Map<String, Object> parse(String json) {
        try {
            return Json.readObject(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
