package com.trueftp.aws;

import software.amazon.awssdk.awscore.exception.AwsServiceException;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * What an AWS refusal that no code foresaw says about the request (an S3 or DynamoDB 4xx other than
 * throttling): the domain checks input before it calls AWS, so these are gaps, answered without a 500 — a
 * missing table or a denied permission is ours to fix (503), an invalid or too large request the client's.
 */
public final class Refusals {
    /** S3 says 400 (and these) when the request itself cannot be carried out: too long, too large, invalid. */
    private static final Set<Integer> S3_REQUEST_STATUSES = Set.of(400, 411, 413, 414, 416);
    /** DynamoDB says 400 for nearly everything (a missing table too): only this code is about the request. */
    private static final String DYNAMODB_INVALID = "ValidationException";
    /** Codes by which a service says the item or object changed meanwhile (besides S3's 409 and 412). */
    private static final Set<String> CHANGED_CODES = Set.of("ConditionalCheckFailedException",
            "TransactionCanceledException", "TransactionConflictException");

    /** The request cannot be carried out; it changed meanwhile (try again); or the fault is ours (503). */
    public enum Kind { REQUEST, CHANGED, OURS }

    /** The service's name and error code: safe to show (messages can name the stack's own resources). */
    public record Refusal(Kind kind, String service, String code) {
    }

    private Refusals() {
    }

    public static Optional<Refusal> of(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof AwsServiceException refused && refused.statusCode() >= 400 && refused.statusCode() < 500
                    && !refused.isThrottlingException()) {
                String service = refused.awsErrorDetails() == null || refused.awsErrorDetails().serviceName() == null
                        ? "AWS" : refused.awsErrorDetails().serviceName();
                String code = refused.awsErrorDetails() == null || refused.awsErrorDetails().errorCode() == null
                        ? Integer.toString(refused.statusCode()) : refused.awsErrorDetails().errorCode();
                return Optional.of(new Refusal(kind(service, refused.statusCode(), code), service, code));
            }
        }
        return Optional.empty();
    }

    private static Kind kind(String service, int status, String code) {
        boolean dynamoDb = service.toLowerCase(Locale.ROOT).startsWith("dynamo");
        if (CHANGED_CODES.contains(code) || (!dynamoDb && (status == 409 || status == 412))) {
            return Kind.CHANGED;
        }
        boolean request = dynamoDb ? code.equals(DYNAMODB_INVALID) : S3_REQUEST_STATUSES.contains(status);
        return request ? Kind.REQUEST : Kind.OURS;
    }
}
