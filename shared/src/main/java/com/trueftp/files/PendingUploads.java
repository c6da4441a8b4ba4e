package com.trueftp.files;

import com.trueftp.account.AccountRepository;
import com.trueftp.aws.Tables;
import com.trueftp.aws.Transactions;
import com.trueftp.core.Config;
import com.trueftp.core.RandomIds;
import com.trueftp.events.Event;
import com.trueftp.events.EventLog;
import com.trueftp.events.EventType;
import com.trueftp.ftpuser.FtpUser;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

import javax.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static com.trueftp.aws.Attributes.n;
import static com.trueftp.aws.Attributes.number;
import static com.trueftp.aws.Attributes.s;

/**
 * Uploads the API does not see land: through presigned URLs, and its own writes S3 did not answer. Issuing a
 * URL counts its size at once (a URL must not buy quota) and leaves a record; once the URL has expired, the
 * user's next files request settles it: an unfinished multipart upload is aborted, the object is measured,
 * the count corrected to what landed (the reservation given back if nothing did) and a {@code file.uploaded}
 * event recorded for what landed. A change through the API to the path, and the user's deletion, settle its
 * records first, expired or not. Records live in their own table, under the account and then the user,
 * sorted by expiry.
 */
public class PendingUploads {
    private static final String PREFIX = "upload#";
    /** Sorts after every expiry time: all records. */
    private static final String LATEST = "9999999999999";

    private final DynamoDbClient dynamo;
    private final String table;
    private final String accountsTable;
    private final FileStore store;
    private final AccountRepository accounts;
    private final EventLog events;
    private final Clock clock;

    @Inject
    public PendingUploads(DynamoDbClient dynamo, Config config, FileStore store, AccountRepository accounts,
                          EventLog events, Clock clock) {
        this.dynamo = dynamo;
        this.table = config.require(Tables.UPLOAD_URLS.nameVariable());
        this.accountsTable = config.require(Tables.ACCOUNTS.nameVariable());
        this.store = store;
        this.accounts = accounts;
        this.events = events;
        this.clock = clock;
    }

    /**
     * An upload to settle later.
     *
     * @param size              the bytes the upload stores
     * @param reserved          the bytes already counted for it
     * @param replaced          the file the upload would replace, as measured before it
     * @param multipartUploadId the multipart upload its URLs belong to (null: none)
     * @param mark              the mark of the API's own write whose outcome S3 did not tell (null: an upload URL)
     */
    public record Pending(long size, long reserved, Optional<FileStore.ObjectInfo> replaced, String multipartUploadId,
                          String mark) {
    }

    /** Records an upload to settle once {@code expires} has passed (or the path changes through the API). */
    public void record(FtpUser user, String path, Pending pending, Instant expires) {
        long reserved = pending.reserved();
        Optional<FileStore.ObjectInfo> replaced = pending.replaced();
        String multipartUploadId = pending.multipartUploadId();
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("account_id", s(user.accountId()));
        item.put("sk", s(prefix(user) + millis(expires) + "#" + RandomIds.newId("up")));
        item.put("path", s(path));
        item.put("reserved", n(reserved));
        item.put("replaced_size", n(replaced.map(FileStore.ObjectInfo::size).orElse(0L)));
        replaced.ifPresent(r -> item.put("replaced_etag", s(r.etag())));
        if (multipartUploadId != null) {
            item.put("upload_id", s(multipartUploadId));
        }
        if (pending.mark() != null) {
            item.put("mark", s(pending.mark()));
        }
        item.put("size", n(pending.size()));
        dynamo.putItem(b -> b.tableName(table).item(item));
    }

    /** Settles the user's uploads whose URLs have expired: usually one Query that finds none. */
    public void settleExpired(FtpUser user) {
        records(user, millis(clock.instant())).forEach(item -> settle(user, item));
    }

    /**
     * Settles now, expired or not, the uploads to {@code path} (a file, or a folder and all under it), before
     * the API changes it: what stands there is taken as what landed, so that the change that follows is
     * counted against what was counted.
     */
    public void settleAt(FtpUser user, String path) {
        records(user, LATEST).stream()
                .filter(item -> path.endsWith("/") ? item.get("path").s().startsWith(path) : item.get("path").s().equals(path))
                .forEach(item -> settle(user, item));
    }

    /** Settles all the user's uploads (before the user is deleted). */
    public void settleAll(FtpUser user) {
        records(user, LATEST).forEach(item -> settle(user, item));
    }

    /** The user's records whose URLs expire up to {@code expiresUpTo} (epoch milliseconds, 13 digits). */
    private List<Map<String, AttributeValue>> records(FtpUser user, String expiresUpTo) {
        return dynamo.queryPaginator(b -> b.tableName(table).consistentRead(true)
                .keyConditionExpression("account_id = :a AND sk BETWEEN :from AND :to")
                .expressionAttributeValues(Map.of(":a", s(user.accountId()),
                        ":from", s(prefix(user)),
                        ":to", s(prefix(user) + expiresUpTo)))).items().stream().toList();
    }

    private void settle(FtpUser user, Map<String, AttributeValue> item) {
        String path = item.get("path").s();
        String key = FileSpace.of(user).key(path);
        long reserved = Long.parseLong(item.get("reserved").n());
        long replacedSize = Long.parseLong(item.get("replaced_size").n());
        AttributeValue replacedEtag = item.get("replaced_etag");
        if (item.containsKey("upload_id")) {
            // Unfinished, its parts would be stored (and billed) until the bucket's lifecycle rule, uncounted;
            // finished later, its file would land uncounted. Once aborted, what stands now is all that lands.
            store.abortMultipart(key, item.get("upload_id").s());
        }
        // Measured while the record stands: if S3 fails here, the record stays for a later request.
        Optional<FileStore.ObjectInfo> now = store.head(key);
        AttributeValue mark = item.get("mark");
        long correction;
        long landedSize;
        if (mark == null) { // an upload URL: whatever stands in place of the replaced version is what it stored
            boolean landed = now.isPresent() && (replacedEtag == null || !replacedEtag.s().equals(now.get().etag()));
            landedSize = landed ? now.get().size() : -1;
            correction = landed ? now.get().size() - replacedSize - reserved : -reserved;
        } else if (now.isPresent() && mark.s().equals(now.get().mark())) { // the API's own write landed and stands
            landedSize = now.get().size();
            correction = landedSize - replacedSize - reserved;
        } else if (now.isPresent() && mark.s().equals(now.get().replacedMark())) {
            // It landed, and a later write replaced it, counting from it: its reservation is what it grew by.
            landedSize = number(item, "size");
            correction = 0;
        } else { // it never landed (or its version went before anyone measured it)
            landedSize = -1;
            correction = -reserved;
        }
        if (!claimAndCorrect(user.accountId(), item, correction)) {
            return; // another request settled it
        }
        if (landedSize >= 0) {
            events.append(user.accountId(), new Event.Draft(EventType.FILE_UPLOADED, user.id(), user.username(), path,
                    landedSize), EventLog.AccountChange.NONE, List.of());
        }
    }

    /**
     * Removes the record and corrects the account's storage count in one transaction, so that neither happens
     * without the other; racing requests settle each record once. A landed upload is counted, quota or not.
     *
     * @return false when another request had settled the record
     */
    private boolean claimAndCorrect(String accountId, Map<String, AttributeValue> item, long correction) {
        Map<String, AttributeValue> record = Map.of("account_id", item.get("account_id"), "sk", item.get("sk"));
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":correction", n(correction));
        String condition = "attribute_exists(id)";
        if (correction < 0) { // never below zero: bytes written around the API must not turn into spare quota
            values.put(":floor", n(-correction));
            condition += " AND " + AccountRepository.STORAGE_USED + " >= :floor";
        }
        String accountCondition = condition;
        for (int attempt = 1; ; attempt++) {
            try {
                dynamo.transactWriteItems(b -> b.transactItems(
                        TransactWriteItem.builder().delete(d -> d.tableName(table).key(record)
                                .conditionExpression("attribute_exists(sk)")).build(),
                        TransactWriteItem.builder().update(u -> u.tableName(accountsTable).key(Map.of("id", s(accountId)))
                                .updateExpression("ADD " + AccountRepository.STORAGE_USED + " :correction")
                                .conditionExpression(accountCondition).expressionAttributeValues(values)).build()));
                return true;
            } catch (TransactionCanceledException e) {
                if (Transactions.conditionFailedAt(e, 0)) {
                    return false;
                }
                if (Transactions.conditionFailedAt(e, 1)) { // counted less than this releases, or no account
                    return claimAlone(record, accountId, -correction);
                }
                if (!Transactions.cancelledWith(e, "TransactionConflict") || attempt == 3) {
                    throw e;
                }
            }
        }
    }

    private boolean claimAlone(Map<String, AttributeValue> record, String accountId, long release) {
        try {
            dynamo.deleteItem(b -> b.tableName(table).key(record).conditionExpression("attribute_exists(sk)"));
        } catch (ConditionalCheckFailedException settledElsewhere) {
            return false;
        }
        accounts.releaseStorage(accountId, release); // clamps at zero
        return true;
    }

    private static String prefix(FtpUser user) {
        return PREFIX + user.id() + "#";
    }

    /** Fixed width, so that the sort key orders records by expiry. */
    private static String millis(Instant instant) {
        return String.format("%013d", instant.toEpochMilli());
    }
}
