package com.trueftp.aws;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;

/** Tells a dependency outage (answer 503, try later) from a bug (answer 500). */
public final class Outages {
    private Outages() {
    }

    public static boolean isOutage(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SdkClientException) {
                return true; // could not connect, timed out, connection reset
            }
            if (t instanceof AwsServiceException service
                    && (service.statusCode() >= 500 || service.isThrottlingException())) {
                return true;
            }
        }
        return false;
    }
}
