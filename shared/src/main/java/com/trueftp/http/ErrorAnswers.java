package com.trueftp.http;

import com.trueftp.auth.UnauthenticatedException;
import com.trueftp.aws.Outages;
import com.trueftp.aws.Refusals;
import com.trueftp.core.ConflictException;
import com.trueftp.core.DomainException;
import com.trueftp.core.InvalidInputException;
import com.trueftp.core.NotAllowedException;
import com.trueftp.core.NotFoundException;
import com.trueftp.core.UnavailableException;
import com.trueftp.ratelimit.RateLimitExceededException;

import java.util.HashMap;
import java.util.Map;

/** The one place where failures become HTTP answers: each kind of domain refusal has its status. */
final class ErrorAnswers {
    private static final Map<Class<? extends DomainException>, Integer> STATUS = Map.of(
            InvalidInputException.class, 400,
            UnauthenticatedException.class, 401,
            NotAllowedException.class, 403,
            NotFoundException.class, 404,
            ConflictException.class, 409,
            RateLimitExceededException.class, 429,
            UnavailableException.class, 503);

    private ErrorAnswers() {
    }

    /** The answer to a failure, or null when it is a bug (the pipeline answers 500 and logs it). */
    static ApiException of(RuntimeException failure) {
        if (failure instanceof ApiException answer) {
            return answer;
        }
        if (failure instanceof DomainException refusal) {
            return new ApiException(STATUS.get(refusal.getClass()), refusal.getMessage(), headers(refusal));
        }
        if (Outages.isOutage(failure)) { // a dependency that is down, slow or throttling: try again shortly
            return of(new UnavailableException());
        }
        return Refusals.of(failure).map(ErrorAnswers::of).orElse(null);
    }

    private static ApiException of(Refusals.Refusal refusal) {
        String said = refusal.service() + " refused it (" + refusal.code() + ")";
        return switch (refusal.kind()) {
            case REQUEST -> new ApiException(400, "the request cannot be carried out: " + said);
            case CHANGED -> of(new ConflictException("what the request changes changed meanwhile: " + said
                    + "; try again"));
            case OURS -> of(new UnavailableException());
        };
    }

    private static Map<String, String> headers(DomainException refusal) {
        if (refusal instanceof RateLimitExceededException limited) {
            Map<String, String> headers = new HashMap<>(RateLimitHeaders.of(limited.standing()));
            headers.put("Retry-After", Long.toString(limited.retryAfterSeconds()));
            return headers;
        }
        if (refusal instanceof UnavailableException) {
            return Map.of("Retry-After", Integer.toString(UnavailableException.RETRY_AFTER_SECONDS));
        }
        return Map.of();
    }
}
