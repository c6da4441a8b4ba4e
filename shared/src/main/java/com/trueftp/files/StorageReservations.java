package com.trueftp.files;

import com.trueftp.account.AccountRepository;
import com.trueftp.aws.Tables;
import com.trueftp.core.Config;
import com.trueftp.core.RandomIds;
import com.trueftp.events.EventLog;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

import javax.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static com.trueftp.aws.Attributes.n;
import static com.trueftp.aws.Attributes.number;
import static com.trueftp.aws.Attributes.s;

/**
 * Room in the storage quota held for bytes on their way: an upload through the API until it is recorded, an
 * upload URL until it is used or expires. The quota admits {@code used + held + new ≤ limit}, where
 * {@code used} is what the account has on record ({@link FileRecords}) and {@code held} the reservations not
 * expired. Reservations are items of the file-records table ({@code reservation#<expiry>#<id>}, TTL removes
 * them later). A reservation is admitted in the account's turn ({@link EventLog#writeInTurn}), so that two
 * concurrent uploads cannot both take the last room. An expired reservation simply stops counting: nothing has
 * to settle it.
 */
public class StorageReservations {
    private static final String PREFIX = "reservation#";
    /** BatchWriteItem takes at most 25 requests. */
    private static final int DELETES_PER_CALL = 25;
    /** Sorts after every expiry time. */
    private static final String LATEST = "9999999999999";

    private final DynamoDbClient dynamo;
    private final EventLog events;
    private final String table;
    private final String accountsTable;
    private final Clock clock;

    /** Room held in an account; {@link #NONE} when nothing needed holding (a file that does not grow). */
    public record Reservation(String accountId, String sk) {
        public static final Reservation NONE = new Reservation(null, null);
    }

    /** The quota has no room for the bytes. */
    public static final class NoRoom extends RuntimeException {
        NoRoom() {
            super("no room", null, false, false);
        }
    }

    @Inject
    public StorageReservations(DynamoDbClient dynamo, EventLog events, Config config, Clock clock) {
        this.dynamo = dynamo;
        this.events = events;
        this.table = config.require(Tables.FILE_RECORDS.nameVariable());
        this.accountsTable = config.require(Tables.ACCOUNTS.nameVariable());
        this.clock = clock;
    }

    /**
     * Holds {@code bytes} for {@code key} until {@code expires}, if the account's use, what it holds already and
     * these bytes fit in {@code limit}.
     *
     * @throws NoRoom when they do not fit (nothing held)
     */
    public Reservation reserve(String accountId, String key, long bytes, long limit, Instant expires) {
        if (bytes <= 0) {
            return Reservation.NONE;
        }
        String sk = PREFIX + String.format("%013d", expires.toEpochMilli()) + "#" + RandomIds.newId("res");
        Map<String, AttributeValue> item = new HashMap<>(key(accountId, sk));
        item.put("key", s(key));
        item.put("bytes", n(bytes));
        item.put("expires_at", n(expires.getEpochSecond() + 1));
        events.writeInTurn(accountId, () -> {
            if (used(accountId) + held(accountId) + bytes > limit) {
                throw new NoRoom();
            }
        }, List.of(TransactWriteItem.builder().put(p -> p.tableName(table).item(item)).build()));
        return new Reservation(accountId, sk);
    }

    /** Gives the room back, in a transaction with what recorded the bytes (nothing for {@link Reservation#NONE}). */
    public List<TransactWriteItem> release(Reservation reservation) {
        if (reservation.sk() == null) {
            return List.of();
        }
        return List.of(TransactWriteItem.builder().delete(d -> d.tableName(table)
                .key(key(reservation.accountId(), reservation.sk()))).build());
    }

    /** Gives the room back on its own; if that fails, the reservation lapses at its expiry. */
    public void releaseQuietly(Reservation reservation) {
        if (reservation.sk() == null) {
            return;
        }
        try {
            dynamo.deleteItem(b -> b.tableName(table).key(key(reservation.accountId(), reservation.sk())));
        } catch (SdkException lapsesLater) {
            // it stops counting when it expires
        }
    }

    /**
     * Upload URLs for these keys were used: the room they held is now counted as used. Gives back one
     * reservation per key as listed (a key's earliest first), with one query and a delete per 25; what fails to
     * go lapses at its expiry.
     */
    public void releaseFor(String accountId, List<String> keys) {
        if (keys.isEmpty()) {
            return;
        }
        try {
            List<Map<String, AttributeValue>> live = new ArrayList<>(live(accountId));
            List<WriteRequest> deletes = new ArrayList<>();
            for (String key : keys) {
                live.stream().filter(item -> key.equals(item.get("key").s())).findFirst().ifPresent(item -> {
                    live.remove(item);
                    deletes.add(WriteRequest.builder().deleteRequest(d -> d.key(key(accountId, item.get("sk").s())))
                            .build());
                });
            }
            for (int from = 0; from < deletes.size(); from += DELETES_PER_CALL) {
                List<WriteRequest> some = deletes.subList(from, Math.min(deletes.size(), from + DELETES_PER_CALL));
                dynamo.batchWriteItem(b -> b.requestItems(Map.of(table, some)));
            }
        } catch (SdkException lapsesLater) {
            // they stop counting when they expire
        }
    }

    /** The bytes the account's unexpired reservations hold. */
    long held(String accountId) {
        return live(accountId).stream().mapToLong(item -> number(item, "bytes")).sum();
    }

    private List<Map<String, AttributeValue>> live(String accountId) {
        String now = PREFIX + String.format("%013d", clock.millis());
        return dynamo.queryPaginator(b -> b.tableName(table).consistentRead(true)
                .keyConditionExpression("account_id = :a AND sk BETWEEN :from AND :to")
                .expressionAttributeValues(Map.of(":a", s(accountId), ":from", s(now), ":to", s(PREFIX + LATEST))))
                .items().stream().toList();
    }

    private long used(String accountId) {
        Map<String, AttributeValue> account = dynamo.getItem(b -> b.tableName(accountsTable).consistentRead(true)
                .key(Map.of(AccountRepository.ID, s(accountId))).projectionExpression(AccountRepository.STORAGE_USED))
                .item();
        return number(account, AccountRepository.STORAGE_USED);
    }

    private static Map<String, AttributeValue> key(String accountId, String sk) {
        return Map.of("account_id", s(accountId), "sk", s(sk));
    }
}
