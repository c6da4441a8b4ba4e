package com.trueftp.events;

import com.trueftp.auth.RandomIds;
import com.trueftp.aws.Tables;
import com.trueftp.config.Config;
import com.trueftp.http.ApiException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
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
import java.util.concurrent.ThreadLocalRandom;

/**
 * The audit stream of an account. Each event gets the next number of its account ({@code event_seq} on the
 * account item) in the same transaction as the change it records, so events are never lost or invented
 * and numbers stay dense and unique under concurrent writers (a writer that lost the race retries with the
 * next number). Reading turns an offset into a key range, so every page costs the same.
 */
public class EventLog {
    /** How long a writer keeps retrying for a number before answering 503 (the functions run for 15 s). */
    static final Duration RETRY_FOR = Duration.ofSeconds(8);

    private final DynamoDbClient dynamo;
    private final String events;
    private final String accounts;
    private final Clock clock;
    private final Duration retention;

    /** What a write changes on the account item besides taking the next event number. */
    public record AccountChange(String add, String condition, Map<String, AttributeValue> values) {
        public static final AccountChange NONE = new AccountChange(null, null, Map.of());
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
    }

    /**
     * Writes {@code others}, the account change and the event in one transaction.
     *
     * @throws AccountConditionFailed       when {@code change.condition()} is false
     * @throws TransactionCanceledException when one of {@code others} fails; its reasons are indexed as {@code others}
     */
    public Event append(String accountId, Event.Draft draft, AccountChange change, List<TransactWriteItem> others) {
        long deadline = System.nanoTime() + RETRY_FOR.toNanos();
        for (int attempt = 1; System.nanoTime() < deadline; attempt++) {
            if (attempt > 1) {
                backOff(attempt); // spread racing writers out so that each gets its turn
            }
            long latest = latest(accountId);
            Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
            Event event = new Event(RandomIds.newId("evt"), latest + 1, draft.type(), draft.ftpUserId(),
                    draft.username(), draft.path(), draft.size(), now);
            List<TransactWriteItem> items = new ArrayList<>(others);
            int accountIndex = items.size();
            items.add(accountUpdate(accountId, latest, change));
            items.add(TransactWriteItem.builder().put(p -> p.tableName(events).item(item(accountId, event))
                    .conditionExpression("attribute_not_exists(seq)")).build());
            try {
                dynamo.transactWriteItems(b -> b.transactItems(items));
                return event;
            } catch (TransactionCanceledException e) {
                if (failed(e, "TransactionConflict") || failedAt(e, accountIndex + 1)) {
                    continue; // another transaction on the same items: take a fresh number
                }
                if (failedAt(e, accountIndex)) {
                    if (latest(accountId) != latest) {
                        continue; // another writer took our number
                    }
                    throw new AccountConditionFailed();
                }
                throw e;
            }
        }
        throw ApiException.unavailable(); // extraordinary contention on one account: let the client retry
    }

    private static void backOff(int attempt) {
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(1, 1 + 10L * Math.min(attempt, 10)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiException.unavailable();
        }
    }

    /** The newest events first; offset 0 is the latest event. Reads {@code limit} events whatever the offset. */
    public Page page(String accountId, int offset, int limit) {
        Map<String, AttributeValue> account = accountItem(accountId);
        long latest = number(account, "event_seq", 0);
        long first = firstVisible(accountId, latest, number(account, "events_from", 1));
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
                .items().forEach(item -> page.add(fromItem(item)));
        return new Page(page, total);
    }

    /**
     * A filtered page. No index serves arbitrary filters, so this reads every live event of the account
     * (newest first) to find the page and count the total: its cost grows with the account's events.
     */
    public Page filtered(String accountId, EventType type, String ftpUserId, int offset, int limit) {
        StringBuilder filter = new StringBuilder("expires_at > :now");
        Map<String, String> names = new HashMap<>();
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":a", s(accountId));
        values.put(":now", n(clock.instant().getEpochSecond()));
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
                .scanIndexForward(false).keyConditionExpression("account_id = :a")
                .filterExpression(filter.toString()).expressionAttributeValues(values);
        if (!names.isEmpty()) {
            request.expressionAttributeNames(names);
        }
        List<Event> page = new ArrayList<>(limit);
        long matched = 0;
        for (Map<String, AttributeValue> item : dynamo.queryPaginator(request.build()).items()) {
            if (matched >= offset && page.size() < limit) {
                page.add(fromItem(item));
            }
            matched++;
        }
        return new Page(page, matched);
    }

    /**
     * The number of the oldest event still within retention. Numbers are handed out in time order, so
     * events expire from number 1 upwards: the answer only grows. It is kept on the account as a hint,
     * checked with one read, and searched for (a few reads, whatever the offset) only after expiries.
     */
    private long firstVisible(String accountId, long latest, long hint) {
        long now = clock.instant().getEpochSecond();
        if (latest == 0 || hint > latest || visible(accountId, hint, now)) {
            return Math.min(hint, latest + 1);
        }
        long low = hint + 1;
        long high = latest + 1; // latest + 1 stands for "everything has expired"
        while (low < high) {
            long middle = low + (high - low) / 2;
            if (visible(accountId, middle, now)) {
                high = middle;
            } else {
                low = middle + 1;
            }
        }
        long first = low;
        try {
            dynamo.updateItem(b -> b.tableName(accounts).key(Map.of("id", s(accountId)))
                    .updateExpression("SET events_from = :first")
                    .conditionExpression("attribute_not_exists(events_from) OR events_from < :first")
                    .expressionAttributeValues(Map.of(":first", n(first))));
        } catch (ConditionalCheckFailedException movedFurther) {
            // another reader saved a later one
        }
        return first;
    }

    private boolean visible(String accountId, long seq, long now) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(events).consistentRead(true)
                .key(Map.of("account_id", s(accountId), "seq", n(seq)))
                .projectionExpression("expires_at")).item();
        return item != null && !item.isEmpty() && Long.parseLong(item.get("expires_at").n()) > now;
    }

    private long latest(String accountId) {
        return number(accountItem(accountId), "event_seq", 0);
    }

    private Map<String, AttributeValue> accountItem(String accountId) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(accounts).consistentRead(true)
                .key(Map.of("id", s(accountId))).projectionExpression("event_seq, events_from")).item();
        return item == null ? Map.of() : item;
    }

    private TransactWriteItem accountUpdate(String accountId, long latest, AccountChange change) {
        Map<String, AttributeValue> values = new HashMap<>(change.values());
        values.put(":latest", n(latest));
        values.put(":next", n(latest + 1));
        String update = "SET event_seq = :next" + (change.add() == null ? "" : " ADD " + change.add());
        String condition = "event_seq = :latest" + (change.condition() == null ? "" : " AND (" + change.condition() + ")");
        return TransactWriteItem.builder().update(u -> u.tableName(accounts).key(Map.of("id", s(accountId)))
                .updateExpression(update).conditionExpression(condition).expressionAttributeValues(values)).build();
    }

    private Map<String, AttributeValue> item(String accountId, Event event) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("account_id", s(accountId));
        item.put("seq", n(event.seq()));
        item.put("id", s(event.id()));
        item.put("type", s(event.type().id()));
        if (event.ftpUserId() != null) {
            item.put("ftp_user_id", s(event.ftpUserId()));
        }
        if (event.username() != null) {
            item.put("username", s(event.username()));
        }
        if (event.path() != null) {
            item.put("path", s(event.path()));
        }
        if (event.size() != null) {
            item.put("size", n(event.size()));
        }
        item.put("created_at", s(event.createdAt().toString()));
        item.put("expires_at", n(event.createdAt().plus(retention).getEpochSecond()));
        return item;
    }

    static Event fromItem(Map<String, AttributeValue> item) {
        return new Event(item.get("id").s(), Long.parseLong(item.get("seq").n()),
                EventType.parse(item.get("type").s()).orElseThrow(), text(item, "ftp_user_id"), text(item, "username"),
                text(item, "path"), item.containsKey("size") ? Long.valueOf(item.get("size").n()) : null,
                Instant.parse(item.get("created_at").s()));
    }

    private static boolean failedAt(TransactionCanceledException e, int index) {
        List<CancellationReason> reasons = e.cancellationReasons();
        return reasons != null && reasons.size() > index && "ConditionalCheckFailed".equals(reasons.get(index).code());
    }

    private static boolean failed(TransactionCanceledException e, String code) {
        return e.cancellationReasons() != null && e.cancellationReasons().stream().anyMatch(r -> code.equals(r.code()));
    }

    private static String text(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null ? null : value.s();
    }

    private static long number(Map<String, AttributeValue> item, String name, long otherwise) {
        AttributeValue value = item.get(name);
        return value == null ? otherwise : Long.parseLong(value.n());
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    private static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }
}
