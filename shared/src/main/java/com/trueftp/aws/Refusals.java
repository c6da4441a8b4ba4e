package com.trueftp.aws;

import software.amazon.awssdk.awscore.exception.AwsServiceException;

import java.util.Optional;
import java.util.Set;

/**
 * What an AWS refusal that no code foresaw says about the request (an S3 or DynamoDB 4xx other than
 * throttling): the domain checks input before it calls AWS, so these are gaps, answered without a 500.
 */
public final class Refusals {
    /** Statuses by which a service says the request itself cannot be carried out (too long, too large, invalid). */
    private static final Set<Integer> OF_THE_REQUEST = Set.of(400, 411, 413, 414, 416);
    /** Statuses by which a service says the object changed meanwhile. */
    private static final Set<Integer> OF_A_CHANGE = Set.of(409, 412);

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
                String service = refused.awsErrorDetails() == null ? "AWS" : refused.awsErrorDetails().serviceName();
                String code = refused.awsErrorDetails() == null || refused.awsErrorDetails().errorCode() == null
                        ? Integer.toString(refused.statusCode()) : refused.awsErrorDetails().errorCode();
                Kind kind = OF_THE_REQUEST.contains(refused.statusCode()) ? Kind.REQUEST
                        : OF_A_CHANGE.contains(refused.statusCode()) ? Kind.CHANGED : Kind.OURS;
                return Optional.of(new Refusal(kind, service, code));
            }
        }
        return Optional.empty();
    }
}
