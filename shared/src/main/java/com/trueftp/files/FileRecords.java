package com.trueftp.files;

import com.trueftp.aws.Tables;
import com.trueftp.core.Config;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

import javax.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static com.trueftp.aws.Attributes.n;
import static com.trueftp.aws.Attributes.number;
import static com.trueftp.aws.Attributes.s;
import static com.trueftp.aws.Attributes.text;

/**
 * What an account has on record of its files, in the file-records table under the account, so that every
 * change to the files bucket is one event and the storage count stays exact, whether the API's own request
 * or the file-activity function (S3's notification) records it first:
 * <ul>
 *   <li>{@code file#<key>}: each object as last recorded — its size and ETag (none: not there), a revision
 *   that every write of the record bumps and conditions on, and the last changes seen by S3's sequencer.
 *   The account's {@code storage_bytes_used} is the sum of these sizes: each write adds its difference in the
 *   same transaction.</li>
 *   <li>{@code change#<digest of key and version id>}: one object version recorded (an event written for it);
 *   whoever writes it second sees it and writes no second event. Kept 30 days, past SQS's 14.</li>
 *   <li>{@code deleting#<folder key>}: a folder the API is deleting, until a time: its files' removals are
 *   that deletion's one event, not one each.</li>
 * </ul>
 */
public class FileRecords {
    /** How many recent changes a record keeps, to size a removal S3 tells without one (by its sequencer). */
    static final int HISTORY = 8;
    /** A change is remembered past every redelivery: SQS keeps a message at most 14 days. */
    static final Duration CLAIM_KEPT = Duration.ofDays(30);
    private static final int BATCH_GET = 100;
    private static final String FILE = "file#";
    private static final String CHANGE = "change#";
    private static final String DELETING = "deleting#";

    private final DynamoDbClient dynamo;
    private final String table;
    private final Clock clock;

    /** One change seen in an S3 notification: its sequencer and the size it left (-1: a removal). */
    public record Seen(String sequencer, long size) {
        boolean isRemoval() {
            return size < 0;
        }
    }

    /**
     * An object as the account has it on record.
     *
     * @param etag null when the object is not there (never recorded, or removed)
     * @param rev  0 when there is no record at all
     */
    public record Standing(String key, long size, String etag, long rev, List<Seen> history) {
        static Standing none(String key) {
            return new Standing(key, 0, null, 0, List.of());
        }

        public boolean exists() {
            return etag != null;
        }

        /** Whether the record says what {@code now} says (null: no object). */
        boolean matches(FileStore.ObjectInfo now) {
            return now == null ? !exists()
                    : exists() && etag.equals(FileStore.unquoted(now.etag())) && size == now.size();
        }
    }

    @Inject
    public FileRecords(DynamoDbClient dynamo, Config config, Clock clock) {
        this.dynamo = dynamo;
        this.table = config.require(Tables.FILE_RECORDS.nameVariable());
        this.clock = clock;
    }

    /** The records of {@code keys} (object keys of the account), strongly consistent; none for keys without one. */
    public Map<String, Standing> read(String accountId, Collection<String> keys) {
        Map<String, Standing> found = new HashMap<>();
        for (String key : keys) {
            found.put(key, Standing.none(key));
        }
        for (Map<String, AttributeValue> item : batchGet(accountId, keys.stream().map(k -> FILE + within(accountId, k)).toList())) {
            String key = accountId + "/" + item.get("sk").s().substring(FILE.length());
            found.put(key, fromItem(key, item));
        }
        return found;
    }

    /** The one key's record. */
    public Standing read(String accountId, String key) {
        return read(accountId, List.of(key)).get(key);
    }

    /** Which of the changes ({@link #changeId}) are recorded already. */
    public Set<String> recorded(String accountId, Collection<String> changeIds) {
        Set<String> recorded = new HashSet<>();
        for (Map<String, AttributeValue> item : batchGet(accountId, changeIds.stream().map(id -> CHANGE + id).toList())) {
            recorded.add(item.get("sk").s().substring(CHANGE.length()));
        }
        return recorded;
    }

    /** The API is deleting everything under {@code prefix} (a folder's key) until {@code until}, or is done. */
    public void markDeleting(String accountId, String prefix, Instant until) {
        Map<String, AttributeValue> item = Map.of("account_id", s(accountId), "sk", s(DELETING + within(accountId, prefix)),
                "until", n(until.toEpochMilli()), "expires_at", n(until.getEpochSecond() + 1));
        dynamo.putItem(b -> b.tableName(table).item(item));
    }

    public void unmarkDeleting(String accountId, String prefix) {
        dynamo.deleteItem(b -> b.tableName(table).key(Map.of("account_id", s(accountId),
                "sk", s(DELETING + within(accountId, prefix)))));
    }

    /** Which of {@code keys} lie in a folder the API is deleting now (one read of their folders' marks). */
    public Set<String> beingDeleted(String accountId, Collection<String> keys) {
        if (keys.isEmpty()) {
            return Set.of();
        }
        Set<String> folders = new LinkedHashSet<>();
        for (String key : keys) {
            folders.addAll(folders(within(accountId, key)));
        }
        long now = clock.millis();
        Set<String> deleting = new HashSet<>();
        for (Map<String, AttributeValue> item : batchGet(accountId, folders.stream().map(f -> DELETING + f).toList())) {
            if (number(item, "until") > now) {
                deleting.add(item.get("sk").s().substring(DELETING.length()));
            }
        }
        Set<String> under = new HashSet<>();
        for (String key : keys) {
            if (folders(within(accountId, key)).stream().anyMatch(deleting::contains)) {
                under.add(key);
            }
        }
        return under;
    }

    /** The folders a key within an account lies in: {@code ftp_x/a/b.txt} → {@code ftp_x/}, {@code ftp_x/a/}. */
    private static List<String> folders(String key) {
        List<String> folders = new ArrayList<>();
        for (int slash = key.indexOf('/'); slash >= 0 && slash < key.length() - 1; slash = key.indexOf('/', slash + 1)) {
            folders.add(key.substring(0, slash + 1));
        }
        return folders;
    }

    /** A change's identity: the object's key and the version S3 gave it (fits a sort key however long the key). */
    public static String changeId(String key, String versionId) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((key + "\n" + versionId).getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    /** Claims the change: fails (ConditionalCheckFailed) when it is recorded already. */
    public TransactWriteItem claim(String accountId, String changeId) {
        Map<String, AttributeValue> item = Map.of("account_id", s(accountId), "sk", s(CHANGE + changeId),
                "expires_at", n(clock.instant().plus(CLAIM_KEPT).getEpochSecond()));
        return TransactWriteItem.builder().put(p -> p.tableName(table).item(item)
                .conditionExpression("attribute_not_exists(sk)")).build();
    }

    /**
     * Records the object as {@code now} (null: not there) with {@code history}, only if the record is still
     * {@code before} (its revision): fails (ConditionalCheckFailed) when another writer got there first.
     */
    public TransactWriteItem write(String accountId, Standing before, FileStore.ObjectInfo now, List<Seen> history) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("account_id", s(accountId));
        item.put("sk", s(FILE + within(accountId, before.key())));
        item.put("rev", n(before.rev() + 1));
        item.put("size", n(now == null ? 0 : now.size()));
        if (now != null) {
            item.put("etag", s(FileStore.unquoted(now.etag())));
        }
        if (!history.isEmpty()) {
            item.put("history", AttributeValue.fromL(history.stream()
                    .map(seen -> s(seen.sequencer() + ":" + seen.size())).toList()));
        }
        return TransactWriteItem.builder().put(p -> {
            p.tableName(table).item(item);
            if (before.rev() == 0) {
                p.conditionExpression("attribute_not_exists(sk)");
            } else {
                p.conditionExpression("rev = :rev").expressionAttributeValues(Map.of(":rev", n(before.rev())));
            }
        }).build();
    }

    /** The record's history with {@code seen} added, newest {@value #HISTORY} kept, in sequencer order. */
    static List<Seen> withSeen(List<Seen> history, Collection<Seen> seen) {
        Set<Seen> all = new LinkedHashSet<>(history);
        all.addAll(seen);
        List<Seen> ordered = new ArrayList<>(all);
        ordered.sort(Comparator.comparing(Seen::sequencer, FileRecords::compareSequencers));
        return List.copyOf(ordered.subList(Math.max(0, ordered.size() - HISTORY), ordered.size()));
    }

    /** S3's rule: the shorter sequencer right-padded with zeros, then compared as text. */
    static int compareSequencers(String a, String b) {
        int length = Math.max(a.length(), b.length());
        return pad(a, length).compareTo(pad(b, length));
    }

    private static String pad(String sequencer, int length) {
        return sequencer + "0".repeat(length - sequencer.length());
    }

    private List<Map<String, AttributeValue>> batchGet(String accountId, List<String> sortKeys) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        List<String> distinct = sortKeys.stream().distinct().toList();
        for (int from = 0; from < distinct.size(); from += BATCH_GET) {
            List<Map<String, AttributeValue>> keys = distinct.subList(from, Math.min(distinct.size(), from + BATCH_GET))
                    .stream().map(sk -> Map.of("account_id", s(accountId), "sk", s(sk))).toList();
            Map<String, KeysAndAttributes> request = Map.of(table,
                    KeysAndAttributes.builder().keys(keys).consistentRead(true).build());
            while (!request.isEmpty()) {
                Map<String, KeysAndAttributes> asked = request;
                BatchGetItemResponse response = dynamo.batchGetItem(b -> b.requestItems(asked));
                items.addAll(response.responses().getOrDefault(table, List.of()));
                request = response.unprocessedKeys();
            }
        }
        return items;
    }

    private static Standing fromItem(String key, Map<String, AttributeValue> item) {
        List<Seen> history = new ArrayList<>();
        if (item.containsKey("history")) {
            for (AttributeValue entry : item.get("history").l()) {
                String[] parts = entry.s().split(":", 2);
                history.add(new Seen(parts[0], Long.parseLong(parts[1])));
            }
        }
        return new Standing(key, number(item, "size"), text(item, "etag"), number(item, "rev"), List.copyOf(history));
    }

    /** The object key without the account's prefix: the account is the partition. */
    private static String within(String accountId, String key) {
        if (!key.startsWith(accountId + "/")) {
            throw new IllegalArgumentException("the key is not the account's: " + key);
        }
        return key.substring(accountId.length() + 1);
    }
}
