package com.trueftp.events;

import com.trueftp.aws.Tables;
import com.trueftp.aws.Transactions;
import com.trueftp.core.Config;
import com.trueftp.core.InvalidInputException;
import com.trueftp.core.Json;
import com.trueftp.core.RandomIds;
import com.trueftp.core.UnavailableException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

import javax.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;

import static com.trueftp.aws.Attributes.found;
import static com.trueftp.aws.Attributes.instant;
import static com.trueftp.aws.Attributes.n;
import static com.trueftp.aws.Attributes.number;
import static com.trueftp.aws.Attributes.s;

/**
 * The audit stream of an account. Each event gets the next number of its account ({@code event_seq} on the
 * account item) in the same transaction as the change it records, so events are never lost or invented
 * and numbers stay dense and unique under concurrent writers, who take turns ({@link AccountTurns}).
 * Reading turns an offset into a key range, so every page costs the same.
 */
public class EventLog {
    /**
     * How long a writer waits for its turn before answering 503: time for hundreds of turns ahead of it. Its own
     * turn then takes a few calls of at most 4.5 s each, inside the writing functions' 29 s.
     */
    static final Duration RETRY_FOR = Duration.ofSeconds(12);
    /** Writers move the retention watermark on each time the account's events pass a multiple of this. */
    static final long WATERMARK_STEP = 1000;
    /** The most items one DynamoDB transaction takes. */
    static final int MAX_BATCH = 100;
    /** A filtered request reads at most this many events: past it, it would outrun the function's timeout. */
    static final int MAX_FILTERED_READ = 100_000;
    /** The item of an account's partition that keeps the retention watermark; events are numbered from 1. */
    static final long META_SEQ = 0;
    /** The account's attribute holding the number of its latest event. */
    public static final String EVENT_NUMBER = "event_seq";
    /** The attribute of an account's item {@code seq = 0} in the events table: the first event still retained. */
    public static final String RETAINED_FROM = "events_from";
    /** The account's attributes by which its writers take turns ({@link AccountTurns}). */
    public static final String TURN_TICKET = AccountTurns.TICKET;
    public static final String TURN_DONE = AccountTurns.DONE;

    private final DynamoDbClient dynamo;
    private final String events;
    private final String accounts;
    private final Clock clock;
    private final Duration retention;
    private final AccountTurns turns;

    /**
     * What a write changes on the account item besides taking the next event number.
     *
     * @param add       an ADD clause such as {@code ftp_users_used :one}, or null
     * @param condition the change's own condition on the account item, or null
     * @param refuses   the same condition's failure, read off the account item: it tells a refused change
     *                  (answer at once) from a lost race for the event number (try again)
     */
    public record AccountChange(String add, String condition, Map<String, AttributeValue> values,
                                Predicate<Map<String, AttributeValue>> refuses) {
        public static final AccountChange NONE = new AccountChange(null, null, Map.of(), account -> false);

    }

    /** The account change's own condition was false (for example a quota); nothing was written. */
    public static final class AccountConditionFailed extends RuntimeException {
        AccountConditionFailed() {
            super("account condition failed", null, false, false);
        }
    }

    /** A page of events, newest first, and how many events the account (or the filter) has in all. */
    public record Page(List<Event> events, long total) {
    }

    @Inject
    public EventLog(DynamoDbClient dynamo, Config config, Clock clock) {
        this.dynamo = dynamo;
        this.events = config.require(Tables.EVENTS.nameVariable());
        this.accounts = config.require(Tables.ACCOUNTS.nameVariable());
        this.clock = clock;
        this.retention = config.eventRetention();
        this.turns = new AccountTurns(dynamo, accounts);
    }

    /**
     * Events written in one transaction: {@code others}, the account change and the events, at most
     * {@value #MAX_BATCH} items in all.
     */
    public record Part(List<Event.Draft> drafts, AccountChange change, List<TransactWriteItem> others) {
        public Part {
            if (drafts.isEmpty() || others.size() + drafts.size() + 1 > MAX_BATCH) {
                throw new IllegalArgumentException("1 to " + (MAX_BATCH - 1 - others.size()) + " events at once, not "
                        + drafts.size());
            }
        }
    }

    /**
     * Writes {@code others}, the account change and the event in one transaction.
     *
     * @throws AccountConditionFailed       when {@code change.condition()} is false
     * @throws TransactionCanceledException when one of {@code others} fails; its reasons are indexed as {@code others}
     */
    public Event append(String accountId, Event.Draft draft, AccountChange change, List<TransactWriteItem> others) {
        return appendAll(accountId, List.of(new Part(List.of(draft), change, others))).get(0);
    }

    /**
     * Writes the parts one transaction each, in one turn, their events numbered one after the other: a batch of an
     * account's changes takes one allocation of numbers, not one each, and waits for one turn, not one per part.
     * A part that fails ends the call; the parts before it stay written.
     *
     * @throws AccountConditionFailed       when a part's {@code change.condition()} is false
     * @throws TransactionCanceledException when one of a part's {@code others} fails; its reasons are indexed as
     *                                      {@code others}
     */
    public List<Event> appendAll(String accountId, List<Part> parts) {
        if (parts.isEmpty()) {
            return List.of();
        }
        long deadline = System.nanoTime() + RETRY_FOR.toNanos();
        List<Event> written = new ArrayList<>();
        int next = 0;
        while (next < parts.size()) {
            AccountTurns.Turn turn = awaitTurn(accountId, deadline);
            boolean ended = false;
            try {
                for (; next < parts.size(); next++) {
                    boolean last = next == parts.size() - 1;
                    List<Event> part = writeInTurn(accountId, turn, parts.get(next), last, deadline);
                    if (part == null) {
                        break; // skipped: the parts left wait for a new turn
                    }
                    written.addAll(part);
                    turn = new AccountTurns.Turn(turn.ticket(), part.get(part.size() - 1).seq());
                    ended = last;
                }
            } finally {
                if (!ended) {
                    passQuietly(accountId, turn); // refused, failed or skipped: the writers behind need not wait
                }
            }
        }
        long last = written.get(written.size() - 1).seq();
        if (last / WATERMARK_STEP != (last - written.size()) / WATERMARK_STEP) {
            advanceRetention(accountId, last);
        }
        return written;
    }

    /**
     * Writes {@code items} in the account's turn, once {@code admit} has passed in that turn: a change admitted
     * by the account's state (a quota) is decided in the order writers came, never on a state another admitted
     * writer is still changing. {@code admit} throws to refuse, and the turn is passed on.
     */
    public void writeInTurn(String accountId, Runnable admit, List<TransactWriteItem> items) {
        long deadline = System.nanoTime() + RETRY_FOR.toNanos();
        while (true) {
            AccountTurns.Turn turn = awaitTurn(accountId, deadline);
            boolean written = false;
            try {
                admit.run();
                written = writeTurn(accountId, turn, items, deadline);
            } finally {
                if (!written) {
                    passQuietly(accountId, turn);
                }
            }
            if (written) {
                return;
            }
        }
    }

    /** The items and the turn's end in one transaction; false if the turn was skipped meanwhile. */
    private boolean writeTurn(String accountId, AccountTurns.Turn turn, List<TransactWriteItem> items, long deadline) {
        List<TransactWriteItem> all = new ArrayList<>(items);
        all.add(TransactWriteItem.builder().update(u -> u.tableName(accounts).key(Map.of("id", s(accountId)))
                .updateExpression("SET " + AccountTurns.DONE + " = :ticket")
                .conditionExpression("attribute_exists(id) AND " + AccountTurns.isNext(turn.ticket()))
                .expressionAttributeValues(Map.of(":previous", n(turn.ticket() - 1), ":ticket", n(turn.ticket()))))
                .build());
        for (int attempt = 1; ; attempt++) {
            try {
                dynamo.transactWriteItems(b -> b.transactItems(all));
                return true;
            } catch (TransactionCanceledException e) {
                if (Transactions.conditionFailedAt(e, items.size())) {
                    return false;
                }
                if (!Transactions.cancelledWith(e, "TransactionConflict")) {
                    throw e;
                }
                if (System.nanoTime() > deadline) {
                    throw new UnavailableException();
                }
                backOff(attempt);
            }
        }
    }

    /** Takes a ticket and waits for its turn; takes another if this one was skipped meanwhile. */
    private AccountTurns.Turn awaitTurn(String accountId, long deadline) {
        while (true) {
            long ticket;
            try {
                ticket = turns.take(accountId);
            } catch (ConditionalCheckFailedException noAccount) {
                throw new AccountConditionFailed();
            }
            AccountTurns.Turn turn = turns.await(accountId, ticket, deadline);
            if (turn != null) {
                return turn;
            }
        }
    }

    /** Passing on fails only if DynamoDB does: the turn is then skipped after a stall. */
    private void passQuietly(String accountId, AccountTurns.Turn turn) {
        try {
            turns.pass(accountId, turn.ticket());
        } catch (SdkException unreachable) {
            // the writers behind skip this turn once it has stalled
        }
    }

    /**
     * Writes the events in their turn. Answers null if the turn was skipped meanwhile; a transaction that met a
     * concurrent write of the account item (a storage count) is tried again within the turn.
     */
    private List<Event> writeInTurn(String accountId, AccountTurns.Turn turn, Part part, boolean endsTurn,
                                    long deadline) {
        List<Event.Draft> drafts = part.drafts();
        AccountChange change = part.change();
        // Ids chosen once per turn: an attempt applied late is recognised as ours by its first event's id.
        List<String> ids = drafts.stream().map(d -> RandomIds.newId("evt")).toList();
        for (int attempt = 1; ; attempt++) {
            Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
            List<Event> batch = new ArrayList<>(drafts.size());
            for (int i = 0; i < drafts.size(); i++) {
                Event.Draft draft = drafts.get(i);
                batch.add(new Event(ids.get(i), turn.latestEvent() + 1 + i, draft.type(), draft.ftpUserId(),
                        draft.username(), draft.path(), draft.size(), draft.source(), now));
            }
            List<TransactWriteItem> items = new ArrayList<>(part.others());
            int accountIndex = items.size();
            items.add(accountUpdate(accountId, turn, change, batch.size(), endsTurn));
            for (Event event : batch) {
                items.add(TransactWriteItem.builder().put(p -> p.tableName(events)
                        .item(EventItems.toItem(accountId, event, retention))
                        .conditionExpression("attribute_not_exists(seq)")).build());
            }
            // A token per attempt: the SDK's own retries of this attempt cannot apply it twice.
            String token = UUID.randomUUID().toString();
            try {
                dynamo.transactWriteItems(b -> b.transactItems(items).clientRequestToken(token));
                return batch;
            } catch (TransactionCanceledException e) {
                boolean conflict = Transactions.cancelledWith(e, "TransactionConflict");
                if (!conflict && Transactions.conditionFailedAt(e, accountIndex)) {
                    Map<String, AttributeValue> account = dynamo.getItem(b -> b.tableName(accounts)
                            .consistentRead(true).key(Map.of("id", s(accountId)))).item();
                    if (found(account) && (number(account, AccountTurns.DONE) != turn.ticket() - 1
                            || number(account, EVENT_NUMBER) != turn.latestEvent())) {
                        // An earlier attempt of ours was applied after all, or we were skipped.
                        return written(accountId, batch.get(0)).isPresent() ? read(accountId, batch) : null;
                    }
                    if (!found(account) || change.refuses().test(account)) {
                        throw new AccountConditionFailed();
                    }
                } else if (!conflict) {
                    throw e;
                }
                if (System.nanoTime() > deadline) {
                    throw new UnavailableException();
                }
                backOff(attempt);
            }
        }
    }

    /** The batch as written (an earlier attempt's, with its own times). */
    private List<Event> read(String accountId, List<Event> batch) {
        List<Event> written = new ArrayList<>(batch.size());
        for (Event event : batch) {
            written.add(written(accountId, event).orElseThrow(() -> new IllegalStateException(
                    "event " + event.seq() + " of a batch written in one transaction is missing")));
        }
        return written;
    }

    /** The event as written, if the item at its number is this very event. */
    private Optional<Event> written(String accountId, Event event) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(events).consistentRead(true)
                .key(key(accountId, event.seq()))).item();
        return found(item) && event.id().equals(item.get("id").s()) ? Optional.of(EventItems.fromItem(item))
                : Optional.empty();
    }

    private static void backOff(int attempt) {
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(1, 1 + 5L * Math.min(attempt, 10)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UnavailableException();
        }
    }

    /** The newest events first; offset 0 is the latest event. Reads {@code limit} events whatever the offset. */
    public Page page(String accountId, int offset, int limit) {
        long latest = latest(accountId);
        long first = firstVisible(accountId, latest);
        long total = Math.max(0, latest - first + 1);
        long high = latest - offset;
        if (high < first || limit == 0) {
            return new Page(List.of(), total);
        }
        long low = Math.max(first, high - limit + 1);
        List<Event> page = new ArrayList<>(limit);
        dynamo.query(b -> b.tableName(events).consistentRead(true).scanIndexForward(false)
                        .keyConditionExpression("account_id = :a AND seq BETWEEN :low AND :high")
                        .expressionAttributeValues(Map.of(":a", s(accountId), ":low", n(low), ":high", n(high))))
                .items().forEach(item -> page.add(EventItems.fromItem(item)));
        return new Page(page, total);
    }

    /**
     * A filtered page. No index serves arbitrary filters, so this reads every live event of the account
     * (newest first) to find the page and count the total: its cost grows with the account's events.
     */
    public Page filtered(String accountId, EventType type, String ftpUserId, int offset, int limit) {
        StringBuilder filter = new StringBuilder("created_at > :cutoff");
        Map<String, String> names = new HashMap<>();
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":a", s(accountId));
        values.put(":meta", n(META_SEQ));
        values.put(":cutoff", s(Json.timestamp(retentionCutoff())));
        if (type != null) {
            filter.append(" AND #type = :type");
            names.put("#type", "type");
            values.put(":type", s(type.id()));
        }
        if (ftpUserId != null) {
            filter.append(" AND ftp_user_id = :user");
            values.put(":user", s(ftpUserId));
        }
        QueryRequest.Builder request = QueryRequest.builder().tableName(events).consistentRead(true)
                .scanIndexForward(false).keyConditionExpression("account_id = :a AND seq > :meta")
                .filterExpression(filter.toString()).expressionAttributeValues(values);
        if (!names.isEmpty()) {
            request.expressionAttributeNames(names);
        }
        List<Event> page = new ArrayList<>(limit);
        long matched = 0;
        long read = 0;
        for (var response : dynamo.queryPaginator(request.build())) {
            read += response.scannedCount();
            if (read > MAX_FILTERED_READ) {
                throw new InvalidInputException("filters work on accounts with at most " + MAX_FILTERED_READ
                        + " events within retention; page the unfiltered stream (constant cost) instead");
            }
            for (Map<String, AttributeValue> item : response.items()) {
                if (matched >= offset && page.size() < limit) {
                    page.add(EventItems.fromItem(item));
                }
                matched++;
            }
        }
        return new Page(page, matched);
    }

    /**
     * The number of the oldest event still within retention. Numbers are handed out in time order, so
     * events leave retention from number 1 upwards and the answer only grows. A watermark in the account's
     * partition says where to look: one read checks it, and after expiries a search steps out from it in growing
     * strides (a few reads for the events that expired since), whatever the offset asked for. Readers never
     * write it (a GET writes nothing): writers move it on ({@link #advanceRetention}).
     */
    private long firstVisible(String accountId, long latest) {
        if (latest == 0) {
            return 1;
        }
        Instant cutoff = retentionCutoff();
        Map<String, AttributeValue> meta = dynamo.getItem(b -> b.tableName(events).consistentRead(true)
                .key(key(accountId, META_SEQ))).item();
        long hint = meta == null || meta.isEmpty() ? 1 : Long.parseLong(meta.get(RETAINED_FROM).n());
        if (hint > latest || visible(accountId, hint, cutoff)) {
            return Math.min(hint, latest + 1);
        }
        // Gallop: hint is expired; find a visible one (or pass the latest), then search the last stride.
        long low = hint + 1;
        long stride = 1;
        long high = Math.min(hint + stride, latest + 1);
        while (high <= latest && !visible(accountId, high, cutoff)) {
            low = high + 1;
            stride *= 2;
            high = Math.min(high + stride, latest + 1);
        }
        while (low < high) {
            long middle = low + (high - low) / 2;
            if (visible(accountId, middle, cutoff)) {
                high = middle;
            } else {
                low = middle + 1;
            }
        }
        return low;
    }

    /**
     * Moves the watermark to the oldest event still within retention: done by writers, once every
     * {@value #WATERMARK_STEP} events, so that readers' searches stay short. Best effort: a failure leaves it
     * where it was, and readers search a little further.
     */
    private void advanceRetention(String accountId, long latest) {
        try {
            long first = firstVisible(accountId, latest);
            dynamo.updateItem(b -> b.tableName(events).key(key(accountId, META_SEQ))
                    .updateExpression("SET " + RETAINED_FROM + " = :first")
                    .conditionExpression("attribute_not_exists(" + RETAINED_FROM + ") OR " + RETAINED_FROM + " < :first")
                    .expressionAttributeValues(Map.of(":first", n(first))));
        } catch (ConditionalCheckFailedException movedFurther) {
            // another writer saved a later one
        } catch (SdkException notNow) {
            // the next step tries again
        }
    }

    private Instant retentionCutoff() {
        return clock.instant().minus(retention);
    }

    private boolean visible(String accountId, long seq, Instant cutoff) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(events).consistentRead(true)
                .key(key(accountId, seq)).projectionExpression("created_at")).item();
        return found(item) && instant(item, "created_at").isAfter(cutoff);
    }

    private static Map<String, AttributeValue> key(String accountId, long seq) {
        return Map.of("account_id", s(accountId), "seq", n(seq));
    }

    private long latest(String accountId) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(accounts).consistentRead(true)
                .key(Map.of("id", s(accountId))).projectionExpression(EVENT_NUMBER)).item();
        return item == null ? 0 : number(item, EVENT_NUMBER);
    }

    /** The account's next event number, the change, and the turn's end when {@code endsTurn}. */
    private TransactWriteItem accountUpdate(String accountId, AccountTurns.Turn turn, AccountChange change, int count,
                                            boolean endsTurn) {
        long latest = turn.latestEvent();
        Map<String, AttributeValue> values = new HashMap<>(change.values());
        values.put(":latest", n(latest));
        values.put(":next", n(latest + count));
        values.put(":previous", n(turn.ticket() - 1));
        values.put(":ticket", n(turn.ticket()));
        if (!endsTurn) {
            values.remove(":ticket");
        }
        String update = "SET " + EVENT_NUMBER + " = :next" + (endsTurn ? ", " + AccountTurns.DONE + " = :ticket" : "")
                + (change.add() == null ? "" : " ADD " + change.add());
        // An account from before event numbering has no event_seq yet: its first event is number 1.
        String numbered = latest == 0 ? "(attribute_not_exists(event_seq) OR event_seq = :latest)" : "event_seq = :latest";
        String condition = "attribute_exists(id) AND " + AccountTurns.isNext(turn.ticket()) + " AND " + numbered
                + (change.condition() == null ? "" : " AND (" + change.condition() + ")");
        return TransactWriteItem.builder().update(u -> u.tableName(accounts).key(Map.of("id", s(accountId)))
                .updateExpression(update).conditionExpression(condition).expressionAttributeValues(values)).build();
    }
}
