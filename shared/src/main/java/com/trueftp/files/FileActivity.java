package com.trueftp.files;

import com.trueftp.account.AccountRepository;
import com.trueftp.aws.Tables;
import com.trueftp.aws.Transactions;
import com.trueftp.core.Config;
import com.trueftp.core.UnavailableException;
import com.trueftp.events.Event;
import com.trueftp.events.EventLog;
import com.trueftp.events.EventSource;
import com.trueftp.events.EventType;
import com.trueftp.ftpuser.FtpUser;
import com.trueftp.ftpuser.FtpUserRepository;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

import javax.inject.Inject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import static com.trueftp.aws.Attributes.n;
import static com.trueftp.aws.Attributes.s;

/**
 * Every change to the files bucket becomes one event and one exact change of the account's storage count,
 * whoever made it. Two ways in, one record ({@link FileRecords}):
 * <ul>
 *   <li>the API's own request records its change at once ({@link #recordOwn}), knowing the version S3 gave it
 *   and the record it read before it wrote;</li>
 *   <li>the file-activity function records what S3's notifications tell ({@link #record}): a change the API
 *   recorded already is claimed, and gets no second event.</li>
 * </ul>
 * The count never trusts the order notifications arrive in: each notification brings the key's record to what
 * S3 holds now (one HeadObject), conditionally on the record being unchanged since it was read. The last change
 * to a key is followed by its own notification, so the record, and with it the count, ends exact however
 * notifications were repeated, delayed or reordered.
 */
public class FileActivity {
    /** A claim, a record and an event per change, and the account: within DynamoDB's 100 items. */
    static final int CHANGES_PER_TRANSACTION = 32;
    /** DynamoDB's 100 items in a transaction, less the account's. */
    static final int ITEMS_PER_TRANSACTION = 99;
    /** A removal of a folder's files has no event per file: a claim and a record each. */
    static final int REMOVALS_PER_TRANSACTION = 49;
    static final int MAX_ATTEMPTS = 6;

    private final FileRecords records;
    private final FileStore store;
    private final EventLog events;
    private final FtpUserRepository users;
    private final StorageReservations reservations;
    private final ChangeSources sources;
    private final DynamoDbClient dynamo;
    private final String accounts;

    /**
     * A change the API's own request made.
     *
     * @param versionId   the version S3 answered for it (a delete: the delete marker's)
     * @param before      the key's record, read before the request wrote to S3
     * @param after       the object the request left (null: a removal)
     * @param eventSize   the size the event tells (a removal: the bytes it removed)
     * @param reservation the room the request held in the quota, given back as the change is counted
     */
    public record OwnChange(EventType type, String path, String key, String versionId, FileRecords.Standing before,
                            FileStore.ObjectInfo after, Long eventSize, StorageReservations.Reservation reservation) {
    }

    /** An object a folder deletion of the API removed: its key, the delete marker's version and its record before. */
    public record OwnRemoval(String key, String versionId, FileRecords.Standing before) {
    }

    @Inject
    public FileActivity(FileRecords records, FileStore store, EventLog events, FtpUserRepository users,
                        StorageReservations reservations, ChangeSources sources, DynamoDbClient dynamo, Config config) {
        this.records = records;
        this.store = store;
        this.events = events;
        this.users = users;
        this.reservations = reservations;
        this.sources = sources;
        this.dynamo = dynamo;
        this.accounts = config.require(Tables.ACCOUNTS.nameVariable());
    }

    // ------------------------------------------------------------------ the API's own changes

    /**
     * Records the API's change: its event, its claim, the key's record and the count in one transaction, and
     * gives its reservation back.
     *
     * @return the event, or empty when the file-activity function had recorded the change first
     */
    public Optional<Event> recordOwn(FtpUser user, OwnChange change) {
        String accountId = user.accountId();
        boolean withRecord = true;
        for (int attempt = 1; ; attempt++) {
            List<TransactWriteItem> others = new ArrayList<>();
            others.add(records.claim(accountId, FileRecords.changeId(change.key(), change.versionId())));
            long delta = 0;
            if (withRecord) {
                // History starts again: the sizes S3's notifications tell from before this change are past.
                others.add(records.write(accountId, change.before(), change.after(), List.of()));
                delta = size(change.after()) - change.before().size();
            }
            others.addAll(reservations.release(change.reservation()));
            try {
                return Optional.of(events.append(accountId, new Event.Draft(change.type(), user.id(), user.username(),
                        change.path(), change.eventSize()), storage(delta), others));
            } catch (TransactionCanceledException e) {
                if (Transactions.conditionFailedAt(e, 0)) {
                    reservations.releaseQuietly(change.reservation());
                    return Optional.empty();
                }
                if (withRecord && Transactions.conditionFailedAt(e, 1)) {
                    // The record moved since it was read: what moved it, or this change's own notification after
                    // it, brings the record and the count to what S3 holds.
                    withRecord = false;
                } else if (!Transactions.cancelledWith(e, "TransactionConflict") || attempt == MAX_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    /**
     * Records the objects a folder deletion removed, without an event each (the deletion is one
     * {@code folder.deleted}, recorded by the caller): their claims, records and the count.
     */
    public void recordOwnRemovals(String accountId, List<OwnRemoval> removals) {
        for (int from = 0; from < removals.size(); from += REMOVALS_PER_TRANSACTION) {
            List<OwnRemoval> batch = new ArrayList<>(removals.subList(from,
                    Math.min(removals.size(), from + REMOVALS_PER_TRANSACTION)));
            Set<String> unrecorded = new LinkedHashSet<>(); // keys whose record moved: left to the notifications
            for (int attempt = 1; !batch.isEmpty(); attempt++) {
                List<TransactWriteItem> items = new ArrayList<>();
                long delta = 0;
                for (OwnRemoval removal : batch) {
                    items.add(records.claim(accountId, FileRecords.changeId(removal.key(), removal.versionId())));
                    if (!unrecorded.contains(removal.key())) {
                        items.add(records.write(accountId, removal.before(), null, List.of()));
                        delta -= removal.before().size();
                    }
                }
                try {
                    transact(accountId, items, delta);
                    break;
                } catch (TransactionCanceledException raced) {
                    if (attempt == MAX_ATTEMPTS) {
                        throw raced;
                    }
                    // The function recorded some removals meanwhile, or moved their records: read which.
                    batch = notRecordedYet(accountId, batch, unrecorded);
                }
            }
        }
    }

    /**
     * The removals not claimed yet; those whose record moved since it was read are added to {@code unrecorded}
     * (their notifications bring the record to what S3 holds).
     */
    private List<OwnRemoval> notRecordedYet(String accountId, List<OwnRemoval> batch, Set<String> unrecorded) {
        Set<String> claimed = records.recorded(accountId, batch.stream()
                .map(r -> FileRecords.changeId(r.key(), r.versionId())).toList());
        Map<String, FileRecords.Standing> now = records.read(accountId, batch.stream().map(OwnRemoval::key).toList());
        List<OwnRemoval> left = new ArrayList<>();
        for (OwnRemoval removal : batch) {
            if (now.get(removal.key()).rev() != removal.before().rev()) {
                unrecorded.add(removal.key());
            }
            if (!claimed.contains(FileRecords.changeId(removal.key(), removal.versionId()))) {
                left.add(removal);
            }
        }
        return left;
    }

    // ------------------------------------------------------------------ S3's notifications

    /**
     * Records the changes S3's notifications tell: each change not recorded yet gets its event, and every key
     * they name is brought to what S3 holds now.
     */
    public void record(List<FileChange> changes) {
        Map<String, List<FileChange>> byAccount = new LinkedHashMap<>();
        for (FileChange change : changes) {
            FileSpace.ofKey(change.key()).ifPresent(space ->
                    byAccount.computeIfAbsent(space.accountId(), a -> new ArrayList<>()).add(change));
            // a key outside every FTP user's space belongs to no account: nothing to record
        }
        byAccount.forEach(this::recordAccount);
    }

    private void recordAccount(String accountId, List<FileChange> changes) {
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            try {
                recordOnce(accountId, changes);
                return;
            } catch (TransactionCanceledException raced) {
                // a claim or a record was written meanwhile (the API, or another instance): read again
            } catch (EventLog.AccountConditionFailed accountGone) {
                return; // no account to count for
            }
        }
        throw new UnavailableException();
    }

    /**
     * Reads what the changes need at once (claims, records, S3's objects), then writes them in transactions of
     * whole keys, those with events in one turn of the account: one allocation of event numbers for the lot.
     */
    private void recordOnce(String accountId, List<FileChange> changes) {
        List<EventLog.Part> parts = new ArrayList<>();
        List<String> usedUploadUrls = new ArrayList<>();
        List<Unit> transaction = new ArrayList<>();
        int items = 0;
        for (Unit unit : prepare(accountId, changes, usedUploadUrls)) {
            if (items + unit.items() > ITEMS_PER_TRANSACTION) {
                pack(accountId, transaction, parts);
                transaction = new ArrayList<>();
                items = 0;
            }
            transaction.add(unit);
            items += unit.items();
        }
        pack(accountId, transaction, parts);
        events.appendAll(accountId, parts);
        // after the bytes are counted: until then the reservations hold their room
        reservations.releaseFor(accountId, usedUploadUrls);
    }

    /** One transaction's units: a part of the turn if it has events, else written at once. */
    private void pack(String accountId, List<Unit> units, List<EventLog.Part> parts) {
        List<TransactWriteItem> others = new ArrayList<>();
        List<Event.Draft> drafts = new ArrayList<>();
        long delta = 0;
        for (Unit unit : units) {
            others.addAll(unit.others());
            drafts.addAll(unit.drafts());
            delta += unit.delta();
        }
        if (!drafts.isEmpty()) {
            parts.add(new EventLog.Part(drafts, storage(delta), others));
        } else if (!others.isEmpty()) {
            transact(accountId, others, delta);
        }
    }

    /**
     * What one key's changes write: its record and the count's change, a claim and an event per change not
     * recorded yet. A key with more changes than a transaction holds is split, the record going with the first.
     */
    private record Unit(List<TransactWriteItem> others, List<Event.Draft> drafts, long delta) {
        int items() {
            return others.size() + drafts.size();
        }
    }

    private List<Unit> prepare(String accountId, List<FileChange> changes, List<String> usedUploadUrls) {
        Map<String, FileChange> distinct = new LinkedHashMap<>();
        changes.forEach(change -> distinct.putIfAbsent(change.id(), change));
        Set<String> recorded = records.recorded(accountId, distinct.keySet());
        Map<String, List<FileChange>> freshByKey = new HashMap<>();
        distinct.values().stream().filter(c -> !recorded.contains(c.id()))
                .sorted(Comparator.comparing(FileChange::sequencer, FileRecords::compareSequencers))
                .forEach(c -> freshByKey.computeIfAbsent(c.key(), k -> new ArrayList<>()).add(c));
        Set<String> keys = new TreeSet<>();
        distinct.values().forEach(change -> keys.add(change.key()));
        Map<String, FileRecords.Standing> before = records.read(accountId, keys);
        Map<String, Optional<FileStore.ObjectInfo>> now = store.headAll(keys);
        // A removal in a folder the API is deleting is part of that deletion's one event.
        Set<String> inDeletedFolders = records.beingDeleted(accountId, freshByKey.values().stream()
                .flatMap(List::stream).filter(FileChange::removed).map(FileChange::key).toList());
        Map<String, Optional<FtpUser>> owners = new HashMap<>();

        List<Unit> units = new ArrayList<>();
        for (String key : keys) {
            FileRecords.Standing record = before.get(key);
            List<FileRecords.Seen> history = FileRecords.withSeen(record.history(), distinct.values().stream()
                    .filter(c -> c.key().equals(key)).map(FileChange::seen).toList());
            FileStore.ObjectInfo object = now.get(key).orElse(null);
            List<TransactWriteItem> others = new ArrayList<>();
            long delta = 0;
            if (!record.matches(object) || !history.equals(record.history())) {
                others.add(records.write(accountId, record, object, history));
                delta = size(object) - record.size();
            }
            List<Event.Draft> drafts = new ArrayList<>();
            int claimed = 0;
            for (FileChange change : freshByKey.getOrDefault(key, List.of())) {
                if (claimed == CHANGES_PER_TRANSACTION) {
                    units.add(new Unit(others, drafts, delta));
                    others = new ArrayList<>();
                    drafts = new ArrayList<>();
                    delta = 0;
                    claimed = 0;
                }
                others.add(records.claim(accountId, change.id()));
                claimed++;
                if (change.removed() && inDeletedFolders.contains(key)) {
                    continue;
                }
                FileSpace space = FileSpace.ofKey(key).orElseThrow();
                Optional<FtpUser> owner = owners.computeIfAbsent(space.ftpUserId(), id -> users.find(accountId, id));
                boolean folder = key.endsWith("/");
                EventType type = change.removed() ? (folder ? EventType.FOLDER_DELETED : EventType.FILE_DELETED)
                        : (folder ? EventType.FOLDER_CREATED : EventType.FILE_UPLOADED);
                long size = change.removed() ? removedSize(change, record, history) : change.size();
                EventSource source = sources.of(change, now.get(key));
                drafts.add(new Event.Draft(type, space.ftpUserId(), owner.map(FtpUser::username).orElse(null),
                        space.path(key), size, source));
                if (source == EventSource.UPLOAD_URL) {
                    usedUploadUrls.add(key);
                }
            }
            if (!others.isEmpty()) {
                units.add(new Unit(others, drafts, delta));
            }
        }
        return units;
    }

    /**
     * The bytes a removal took away: S3 does not tell them. The change before it on the key (by sequencer) tells
     * its size; without one, the record's size before this batch.
     */
    static long removedSize(FileChange removal, FileRecords.Standing before, List<FileRecords.Seen> history) {
        FileRecords.Seen previous = null;
        for (FileRecords.Seen seen : history) {
            if (FileRecords.compareSequencers(seen.sequencer(), removal.sequencer()) < 0) {
                previous = seen;
            }
        }
        if (previous == null) {
            return before.size();
        }
        return previous.isRemoval() ? 0 : previous.size();
    }

    /** The records' writes and the count's change, without an event. */
    private void transact(String accountId, List<TransactWriteItem> items, long delta) {
        List<TransactWriteItem> all = new ArrayList<>(items);
        if (delta != 0) {
            all.add(TransactWriteItem.builder().update(u -> u.tableName(accounts)
                    .key(Map.of(AccountRepository.ID, s(accountId)))
                    .updateExpression("ADD " + AccountRepository.STORAGE_USED + " :delta")
                    .conditionExpression("attribute_exists(id)")
                    .expressionAttributeValues(Map.of(":delta", n(delta)))).build());
        }
        dynamo.transactWriteItems(b -> b.transactItems(all));
    }

    private static EventLog.AccountChange storage(long delta) {
        if (delta == 0) {
            return EventLog.AccountChange.NONE;
        }
        return new EventLog.AccountChange(AccountRepository.STORAGE_USED + " :storageDelta", null,
                Map.of(":storageDelta", n(delta)), account -> false);
    }

    private static long size(FileStore.ObjectInfo object) {
        return object == null ? 0 : object.size();
    }
}
