package com.trueftp.files;

import com.trueftp.account.AccountRepository;
import com.trueftp.aws.Tables;
import com.trueftp.core.Config;
import com.trueftp.core.RandomIds;
import com.trueftp.events.Event;
import com.trueftp.events.EventLog;
import com.trueftp.events.EventType;
import com.trueftp.ftpuser.FtpUser;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

import javax.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static com.trueftp.aws.Attributes.n;
import static com.trueftp.aws.Attributes.s;

/**
 * Uploads through presigned URLs, which the API does not see land. Issuing a URL counts its size at once
 * (a URL must not buy quota) and leaves a record; once the URL has expired, the user's next files request
 * settles it: an unfinished multipart upload is aborted, the object is measured, the count corrected to what
 * landed (the reservation given back if nothing did) and a {@code file.uploaded} event recorded for what landed. A change through the API to the
 * path, and the user's deletion, settle its records first, expired or not. Records live in their own table,
 * under the account and then the user, sorted by expiry.
 */
public class PendingUploads {
    private static final String PREFIX = "upload#";
    /** Sorts after every expiry time: all records. */
    private static final String LATEST = "9999999999999";

    private final DynamoDbClient dynamo;
    private final String table;
    private final FileStore store;
    private final AccountRepository accounts;
    private final EventLog events;
    private final Clock clock;

    @Inject
    public PendingUploads(DynamoDbClient dynamo, Config config, FileStore store, AccountRepository accounts,
                          EventLog events, Clock clock) {
        this.dynamo = dynamo;
        this.table = config.require(Tables.UPLOAD_URLS.nameVariable());
        this.store = store;
        this.accounts = accounts;
        this.events = events;
        this.clock = clock;
    }

    /**
     * @param reserved          the bytes already counted for it
     * @param replaced          the file the upload would replace, as measured when the URL was issued
     * @param multipartUploadId the multipart upload the URLs belong to (null: a single PUT)
     */
    public void record(FtpUser user, String path, long reserved, Optional<FileStore.ObjectInfo> replaced,
                       String multipartUploadId, Instant expires) {
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
        try { // claimed once: racing requests settle each record once
            dynamo.deleteItem(b -> b.tableName(table)
                    .key(Map.of("account_id", item.get("account_id"), "sk", item.get("sk")))
                    .conditionExpression("attribute_exists(sk)"));
        } catch (ConditionalCheckFailedException settledElsewhere) {
            return;
        }
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
        Optional<FileStore.ObjectInfo> now = store.head(key);
        boolean landed = now.isPresent() && (replacedEtag == null || !replacedEtag.s().equals(now.get().etag()));
        if (!landed) {
            accounts.releaseStorage(user.accountId(), reserved);
            return;
        }
        long correction = now.get().size() - replacedSize - reserved;
        if (correction > 0) {
            accounts.addStorage(user.accountId(), correction); // it landed: count it, quota or not
        } else {
            accounts.releaseStorage(user.accountId(), -correction);
        }
        events.append(user.accountId(), new Event.Draft(EventType.FILE_UPLOADED, user.id(), user.username(), path,
                now.get().size()), EventLog.AccountChange.NONE, List.of());
    }

    private static String prefix(FtpUser user) {
        return PREFIX + user.id() + "#";
    }

    /** Fixed width, so that the sort key orders records by expiry. */
    private static String millis(Instant instant) {
        return String.format("%013d", instant.toEpochMilli());
    }
}
