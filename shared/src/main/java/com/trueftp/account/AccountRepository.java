package com.trueftp.account;

import com.trueftp.aws.SingleAttempt;
import com.trueftp.aws.Tables;
import com.trueftp.core.Config;
import com.trueftp.core.Json;
import com.trueftp.core.NotFoundException;
import com.trueftp.core.RandomIds;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

import javax.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import static com.trueftp.aws.Attributes.found;
import static com.trueftp.aws.Attributes.n;
import static com.trueftp.aws.Attributes.number;
import static com.trueftp.aws.Attributes.s;

/** Accounts in DynamoDB, one item per account keyed by id. */
public class AccountRepository {
    /** The counters that functions other than the admin CLI change: each function's role is limited to its own. */
    public static final String ID = "id";
    public static final String STORAGE_USED = "storage_bytes_used";
    public static final String FTP_USERS_USED = "ftp_users_used";
    private final DynamoDbClient dynamo;
    private final String table;
    private final Clock clock;

    @Inject
    public AccountRepository(DynamoDbClient dynamo, Config config, Clock clock) {
        this.dynamo = dynamo;
        this.table = config.require(Tables.ACCOUNTS.nameVariable());
        this.clock = clock;
    }

    public Account create(String name, Plan plan) {
        Account account = new Account(RandomIds.newId("acc"), name, plan, AccountStatus.ACTIVE,
                clock.instant().truncatedTo(ChronoUnit.MILLIS), 0, 0);
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("id", s(account.id()));
        item.put("name", s(account.name()));
        item.put("plan", s(plan.id()));
        item.put("status", s(account.status().id()));
        item.put("created_at", s(Json.timestamp(account.createdAt())));
        item.put("ftp_users_used", n(0));
        item.put("storage_bytes_used", n(0));
        item.put("event_seq", n(0)); // the number of the account's latest event (see EventLog)
        dynamo.putItem(b -> b.tableName(table).item(item).conditionExpression("attribute_not_exists(id)"));
        return account;
    }

    public Optional<Account> find(String id) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table)
                .key(Map.of("id", s(id))).consistentRead(true)).item();
        return found(item) ? Optional.of(fromItem(item)) : Optional.empty();
    }

    /** The account, or not found. */
    public Account get(String id) {
        return find(id).orElseThrow(() -> new NotFoundException("account not found"));
    }

    /** Changes plan and/or status (null leaves a field as it is); empty if there is no such account. */
    public Optional<Account> update(String id, Plan plan, AccountStatus status) {
        StringBuilder set = new StringBuilder();
        Map<String, String> names = new HashMap<>();
        Map<String, AttributeValue> values = new HashMap<>();
        if (plan != null) {
            set.append("#plan = :plan");
            names.put("#plan", "plan");
            values.put(":plan", s(plan.id()));
        }
        if (status != null) {
            set.append(set.isEmpty() ? "" : ", ").append("#status = :status");
            names.put("#status", "status");
            values.put(":status", s(status.id()));
        }
        if (set.isEmpty()) {
            return find(id);
        }
        try {
            Map<String, AttributeValue> item = dynamo.updateItem(b -> b.tableName(table)
                    .key(Map.of("id", s(id)))
                    .updateExpression("SET " + set)
                    .conditionExpression("attribute_exists(id)")
                    .expressionAttributeNames(names)
                    .expressionAttributeValues(values)
                    .returnValues(ReturnValue.ALL_NEW)).attributes();
            return Optional.of(fromItem(item));
        } catch (ConditionalCheckFailedException e) {
            return Optional.empty();
        }
    }

    // The storage counter's updates are single attempts (SingleAttempt): a retry after a timed-out attempt
    // that was applied late would count the same bytes twice; as it is, a failure leaves at most one change.

    /**
     * Counts {@code bytes} more in the account's storage use, unless that would take it past {@code limit}.
     *
     * @return false, with nothing changed, when the bytes do not fit
     */
    public boolean reserveStorage(String accountId, long bytes, long limit) {
        if (bytes > limit) {
            return false;
        }
        try {
            dynamo.updateItem(b -> b.tableName(table).key(Map.of("id", s(accountId)))
                    .updateExpression("ADD storage_bytes_used :bytes")
                    .conditionExpression("attribute_exists(id) AND (attribute_not_exists(storage_bytes_used) "
                            + "OR storage_bytes_used <= :room)")
                    .expressionAttributeValues(Map.of(":bytes", n(bytes), ":room", n(limit - bytes)))
                    .overrideConfiguration(SingleAttempt.only()));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    /** Counts {@code bytes} more in the account's storage use, limit or not (bytes that are already stored). */
    public void addStorage(String accountId, long bytes) {
        try {
            dynamo.updateItem(b -> b.tableName(table).key(Map.of("id", s(accountId)))
                    .updateExpression("ADD storage_bytes_used :bytes")
                    .conditionExpression("attribute_exists(id)")
                    .expressionAttributeValues(Map.of(":bytes", n(bytes)))
                    .overrideConfiguration(SingleAttempt.only()));
        } catch (ConditionalCheckFailedException accountGone) {
            // nothing left to count against
        }
    }

    /**
     * Counts {@code bytes} fewer in the account's storage use (files deleted, a reservation given back), never
     * below zero: bytes the API never counted (files written around it) cannot turn into spare quota.
     */
    public void releaseStorage(String accountId, long bytes) {
        if (bytes <= 0) {
            return;
        }
        Map<String, AttributeValue> key = Map.of("id", s(accountId));
        try {
            dynamo.updateItem(b -> b.tableName(table).key(key)
                    .updateExpression("ADD storage_bytes_used :minus")
                    .conditionExpression("attribute_exists(id) AND storage_bytes_used >= :bytes")
                    .expressionAttributeValues(Map.of(":minus", n(-bytes), ":bytes", n(bytes)))
                    .overrideConfiguration(SingleAttempt.only()));
        } catch (ConditionalCheckFailedException lessCounted) {
            try {
                dynamo.updateItem(b -> b.tableName(table).key(key)
                        .updateExpression("SET storage_bytes_used = :zero")
                        .conditionExpression("attribute_exists(id) AND storage_bytes_used < :bytes")
                        .expressionAttributeValues(Map.of(":zero", n(0), ":bytes", n(bytes))));
            } catch (ConditionalCheckFailedException changedOrGone) {
                // the account is gone, or grew meanwhile: its count is no longer below what we release
            }
        }
    }

    private static Account fromItem(Map<String, AttributeValue> item) {
        return new Account(item.get("id").s(), item.get("name").s(),
                Plan.parse(item.get("plan").s()).orElseThrow(),
                AccountStatus.parse(item.get("status").s()).orElseThrow(),
                Instant.parse(item.get("created_at").s()),
                number(item, "ftp_users_used"), number(item, "storage_bytes_used"));
    }
}
