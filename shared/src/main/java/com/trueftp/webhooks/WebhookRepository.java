package com.trueftp.webhooks;

import com.trueftp.aws.Tables;
import com.trueftp.aws.Transactions;
import com.trueftp.core.Config;
import com.trueftp.core.Pages;
import com.trueftp.core.Json;
import com.trueftp.core.NotAllowedException;
import com.trueftp.core.NotFoundException;
import com.trueftp.core.RandomIds;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

import javax.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

import static com.trueftp.aws.Attributes.found;
import static com.trueftp.aws.Attributes.instant;
import static com.trueftp.aws.Attributes.n;
import static com.trueftp.aws.Attributes.number;
import static com.trueftp.aws.Attributes.s;
import static com.trueftp.aws.Attributes.text;

/**
 * Webhooks in DynamoDB, under their account. Creating and deleting one are transactions with the account's
 * webhook count, so the limit holds however many requests race.
 */
public class WebhookRepository {
    private static final String WEBHOOK = "webhook#";
    private static final String COUNT = "count";
    private static final String USED = "webhooks_used";
    private static final Pattern ID = Pattern.compile("whk_[0-9A-Za-z]{20}");
    /** The attributes the dispatcher may update: the key, and how the receiver has been doing. */
    public static final List<String> HEALTH_ATTRIBUTES = List.of("account_id", "sk", "consecutive_failures",
            "failing_since", "paused_until", "trusted_until", "probe_until", "active", "disabled_reason", "updated_at");

    private final DynamoDbClient dynamo;
    private final String table;
    private final Clock clock;

    /** A webhook as the client asks for it. */
    public record NewWebhook(String url, List<String> events, String description, boolean active) {
    }

    /** Fields to change; null leaves a field as it is ({@code description} "" clears it). */
    public record Changes(String url, List<String> events, String description, Boolean active) {
    }

    @Inject
    public WebhookRepository(DynamoDbClient dynamo, Config config, Clock clock) {
        this.dynamo = dynamo;
        this.table = config.require(Tables.WEBHOOKS.nameVariable());
        this.clock = clock;
    }

    /** @throws NotAllowedException when the account has {@code limit} webhooks */
    public Webhook create(String accountId, NewWebhook webhook, String secret, int limit) {
        Instant now = now();
        Webhook created = new Webhook(RandomIds.newSortableId("whk", now.toEpochMilli()), accountId, webhook.url(),
                List.copyOf(webhook.events()), webhook.description(), webhook.active(), null,
                new Webhook.Signing(secret, null, null), Webhook.Health.NEW, now, now);
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("account_id", s(accountId));
        item.put("sk", s(WEBHOOK + created.id()));
        item.put("id", s(created.id()));
        item.put("url", s(created.url()));
        item.put("events", strings(created.events()));
        if (created.description() != null) {
            item.put("description", s(created.description()));
        }
        item.put("active", AttributeValue.fromBool(created.active()));
        item.put("secret", s(secret));
        item.put("created_at", s(Json.timestamp(now)));
        item.put("updated_at", s(Json.timestamp(now)));
        try {
            dynamo.transactWriteItems(t -> t.transactItems(
                    TransactWriteItem.builder().put(p -> p.tableName(table).item(item)
                            .conditionExpression("attribute_not_exists(sk)")).build(),
                    TransactWriteItem.builder().update(u -> u.tableName(table).key(countKey(accountId))
                            .updateExpression("ADD " + USED + " :one")
                            .conditionExpression("attribute_not_exists(" + USED + ") OR " + USED + " < :limit")
                            .expressionAttributeValues(Map.of(":one", n(1), ":limit", n(limit)))).build()));
        } catch (TransactionCanceledException e) {
            if (Transactions.conditionFailedAt(e, 1)) {
                throw new NotAllowedException("webhook limit reached (" + limit + " per account)");
            }
            throw e;
        }
        return created;
    }

    /** How many webhooks the account has. */
    public long count(String accountId) {
        return number(dynamo.getItem(g -> g.tableName(table).consistentRead(true).key(countKey(accountId))).item(), USED);
    }

    /** The account's webhook, or not found: another account's and an id that cannot be ours answer alike. */
    public Webhook get(String accountId, String id) {
        return find(accountId, id).orElseThrow(WebhookRepository::notFound);
    }

    public Optional<Webhook> find(String accountId, String id) {
        if (!ID.matcher(id).matches()) {
            return Optional.empty();
        }
        Map<String, AttributeValue> item = dynamo.getItem(g -> g.tableName(table).consistentRead(true)
                .key(key(accountId, id))).item();
        return found(item) ? Optional.of(fromItem(item)) : Optional.empty();
    }

    static NotFoundException notFound() {
        return new NotFoundException("webhook not found");
    }

    /** A page of the account's webhooks in creation order. */
    public List<Webhook> list(String accountId, int offset, int limit) {
        return Pages.slice(all(accountId), offset, limit, Function.identity());
    }

    /** Every webhook of the account (at most the limit, a few dozen): one query. */
    public List<Webhook> all(String accountId) {
        QueryRequest request = QueryRequest.builder().tableName(table).consistentRead(true)
                .keyConditionExpression("account_id = :a AND begins_with(sk, :webhook)")
                .expressionAttributeValues(Map.of(":a", s(accountId), ":webhook", s(WEBHOOK)))
                .build();
        List<Webhook> webhooks = new ArrayList<>();
        dynamo.queryPaginator(request).items().forEach(item -> webhooks.add(fromItem(item)));
        return webhooks;
    }

    /** Applies the changes; turning a webhook on clears why it was off and its failure record. */
    public Webhook update(String accountId, String id, Changes changes) {
        List<String> set = new ArrayList<>();
        List<String> remove = new ArrayList<>();
        Map<String, AttributeValue> values = new HashMap<>();
        set.add("updated_at = :now");
        values.put(":now", s(Json.timestamp(now())));
        if (changes.url() != null) {
            set.add("#url = :url");
            values.put(":url", s(changes.url()));
        }
        if (changes.events() != null) {
            set.add("events = :events");
            values.put(":events", strings(changes.events()));
        }
        if (changes.description() != null && changes.description().isEmpty()) {
            remove.add("description");
        } else if (changes.description() != null) {
            set.add("description = :description");
            values.put(":description", s(changes.description()));
        }
        if (changes.active() != null) {
            set.add("active = :active");
            values.put(":active", AttributeValue.fromBool(changes.active()));
        }
        if (Boolean.TRUE.equals(changes.active())) {
            remove.addAll(List.of("disabled_reason", "consecutive_failures", "failing_since", "paused_until",
                    "trusted_until", "probe_until"));
        }
        String expression = "SET " + String.join(", ", set) + (remove.isEmpty() ? "" : " REMOVE " + String.join(", ", remove));
        if (!ID.matcher(id).matches()) {
            throw notFound();
        }
        try {
            return fromItem(dynamo.updateItem(u -> u.tableName(table).key(key(accountId, id))
                    .updateExpression(expression)
                    .conditionExpression("attribute_exists(sk)")
                    .expressionAttributeNames(changes.url() != null ? Map.of("#url", "url") : null)
                    .expressionAttributeValues(values)
                    .returnValues(ReturnValue.ALL_NEW)).attributes());
        } catch (ConditionalCheckFailedException e) {
            throw notFound();
        }
    }

    /** Removes the webhook and frees its place; false if there was none. */
    public boolean delete(String accountId, String id) {
        if (!ID.matcher(id).matches()) {
            return false;
        }
        try {
            dynamo.transactWriteItems(t -> t.transactItems(
                    TransactWriteItem.builder().delete(d -> d.tableName(table).key(key(accountId, id))
                            .conditionExpression("attribute_exists(sk)")).build(),
                    TransactWriteItem.builder().update(u -> u.tableName(table).key(countKey(accountId))
                            .updateExpression("ADD " + USED + " :minus_one")
                            .expressionAttributeValues(Map.of(":minus_one", n(-1)))).build()));
            return true;
        } catch (TransactionCanceledException e) {
            if (Transactions.conditionFailedAt(e, 0)) {
                return false;
            }
            throw e;
        }
    }

    /**
     * Replaces the signing secret; the old one keeps signing until {@code previousExpiresAt} (null: not at all).
     */
    public Webhook rotateSecret(String accountId, String id, String secret, Instant previousExpiresAt) {
        if (!ID.matcher(id).matches()) {
            throw notFound();
        }
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":secret", s(secret));
        values.put(":now", s(Json.timestamp(now())));
        String expression;
        if (previousExpiresAt == null) {
            expression = "SET secret = :secret, updated_at = :now REMOVE previous_secret, previous_expires_at";
        } else {
            expression = "SET previous_secret = secret, previous_expires_at = :expires, secret = :secret, updated_at = :now";
            values.put(":expires", n(previousExpiresAt.getEpochSecond()));
        }
        try {
            return fromItem(dynamo.updateItem(u -> u.tableName(table).key(key(accountId, id))
                    .updateExpression(expression)
                    .conditionExpression("attribute_exists(sk)")
                    .expressionAttributeValues(values)
                    .returnValues(ReturnValue.ALL_NEW)).attributes());
        } catch (ConditionalCheckFailedException e) {
            throw notFound();
        }
    }

    /** A success: the failure record, any pause and probe are cleared, and the receiver trusted until then. */
    public void recordSuccess(Webhook webhook, Instant trustedUntil) {
        updateIfExists(webhook, "SET consecutive_failures = :zero, trusted_until = :trusted "
                + "REMOVE failing_since, paused_until, probe_until",
                Map.of(":zero", n(0), ":trusted", n(trustedUntil.toEpochMilli())));
    }

    /**
     * A failed attempt: one more failure in a row, trust and probe gone, and attempts paused until
     * {@code pausedUntil} (null: no pause).
     *
     * @return the webhook's health after it, or empty if the webhook is gone
     */
    public Optional<Webhook.Health> recordFailure(Webhook webhook, Instant pausedUntil) {
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":one", n(1));
        values.put(":now", s(Json.timestamp(now())));
        String expression = "ADD consecutive_failures :one SET failing_since = if_not_exists(failing_since, :now)";
        if (pausedUntil != null) {
            expression += ", paused_until = :paused REMOVE trusted_until, probe_until";
            values.put(":paused", n(pausedUntil.toEpochMilli()));
        } else {
            expression += " REMOVE paused_until, trusted_until, probe_until";
        }
        return updateIfExists(webhook, expression, values).map(WebhookRepository::health);
    }

    /**
     * Claims the one attempt that may be out on an untrusted receiver, until {@code until}: of the deliveries
     * that find it so, one tries it and the rest wait for the outcome.
     */
    public boolean claimProbe(Webhook webhook, Instant now, Instant until) {
        try {
            dynamo.updateItem(u -> u.tableName(table).key(key(webhook.accountId(), webhook.id()))
                    .updateExpression("SET probe_until = :until")
                    .conditionExpression("attribute_exists(sk) AND (attribute_not_exists(probe_until) OR probe_until < :now)")
                    .expressionAttributeValues(Map.of(":until", n(until.toEpochMilli()), ":now", n(now.toEpochMilli()))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    /** An attempt is taking long: trust is withdrawn and it counts as the probe until {@code until}. */
    public void markSlow(Webhook webhook, Instant until) {
        updateIfExists(webhook, "SET probe_until = :until REMOVE trusted_until", Map.of(":until", n(until.toEpochMilli())));
    }

    /** Turns the webhook off for {@code reason} (its deliveries stop; turning it on again clears the reason). */
    public void disable(Webhook webhook, String reason) {
        updateIfExists(webhook, "SET active = :false, disabled_reason = :reason, updated_at = :now",
                Map.of(":false", AttributeValue.fromBool(false), ":reason", s(reason), ":now", s(Json.timestamp(now()))));
    }

    private Optional<Map<String, AttributeValue>> updateIfExists(Webhook webhook, String expression,
                                                                 Map<String, AttributeValue> values) {
        try {
            return Optional.of(dynamo.updateItem(u -> u.tableName(table).key(key(webhook.accountId(), webhook.id()))
                    .updateExpression(expression)
                    .conditionExpression("attribute_exists(sk)")
                    .expressionAttributeValues(values)
                    .returnValues(ReturnValue.UPDATED_NEW)).attributes());
        } catch (ConditionalCheckFailedException e) {
            return Optional.empty(); // deleted meanwhile
        }
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    private static Map<String, AttributeValue> key(String accountId, String id) {
        return Map.of("account_id", s(accountId), "sk", s(WEBHOOK + id));
    }

    private static Map<String, AttributeValue> countKey(String accountId) {
        return Map.of("account_id", s(accountId), "sk", s(COUNT));
    }

    private static AttributeValue strings(List<String> values) {
        return AttributeValue.fromL(values.stream().map(AttributeValue::fromS).toList());
    }

    private static Webhook.Health health(Map<String, AttributeValue> item) {
        return new Webhook.Health(number(item, "consecutive_failures"), instant(item, "failing_since"),
                millis(item, "paused_until"), millis(item, "trusted_until"), millis(item, "probe_until"));
    }

    private static Instant millis(Map<String, AttributeValue> item, String name) {
        return item.containsKey(name) ? Instant.ofEpochMilli(number(item, name)) : null;
    }

    private static Webhook fromItem(Map<String, AttributeValue> item) {
        return new Webhook(text(item, "id"), text(item, "account_id"), text(item, "url"),
                item.get("events").l().stream().map(AttributeValue::s).toList(), text(item, "description"),
                item.get("active").bool(), text(item, "disabled_reason"),
                new Webhook.Signing(text(item, "secret"), text(item, "previous_secret"),
                        item.containsKey("previous_expires_at")
                                ? Instant.ofEpochSecond(number(item, "previous_expires_at")) : null),
                health(item), instant(item, "created_at"), instant(item, "updated_at"));
    }
}
