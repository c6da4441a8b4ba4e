package com.trueftp.aws;

import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

import java.util.List;

/** Why DynamoDB cancelled a transaction: its reasons are listed in the order of the transaction's items. */
public final class Transactions {
    private Transactions() {
    }

    /** The condition of the item at {@code index} was false. */
    public static boolean conditionFailedAt(TransactionCanceledException e, int index) {
        List<CancellationReason> reasons = e.cancellationReasons();
        return reasons != null && reasons.size() > index && "ConditionalCheckFailed".equals(reasons.get(index).code());
    }

    /** Some item of the transaction was cancelled with {@code code}, e.g. TransactionConflict. */
    public static boolean cancelledWith(TransactionCanceledException e, String code) {
        return e.cancellationReasons() != null && e.cancellationReasons().stream().anyMatch(r -> code.equals(r.code()));
    }
}
