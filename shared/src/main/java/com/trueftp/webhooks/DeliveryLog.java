package com.trueftp.webhooks;

import com.trueftp.aws.Tables;
import com.trueftp.core.Config;
import com.trueftp.core.Pages;
import com.trueftp.core.Json;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.Select;

import javax.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import static com.trueftp.aws.Attributes.found;
import static com.trueftp.aws.Attributes.instant;
import static com.trueftp.aws.Attributes.n;
import static com.trueftp.aws.Attributes.number;
import static com.trueftp.aws.Attributes.s;
import static com.trueftp.aws.Attributes.text;

/** Every delivery attempt of every webhook, kept 30 days (TTL); newest first per webhook. */
public class DeliveryLog {
    public static final Duration KEPT = Duration.ofDays(30);
    private static final Pattern ID = Pattern.compile("dlv_[0-9A-Za-z]{20}");

    private final DynamoDbClient dynamo;
    private final String table;

    @Inject
    public DeliveryLog(DynamoDbClient dynamo, Config config) {
        this.dynamo = dynamo;
        this.table = config.require(Tables.WEBHOOK_DELIVERIES.nameVariable());
    }

    public void record(Delivery delivery) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("webhook_id", s(delivery.webhookId()));
        item.put("id", s(delivery.id()));
        item.put("account_id", s(delivery.accountId()));
        item.put("event_id", s(delivery.eventId()));
        item.put("event_type", s(delivery.eventType()));
        item.put("attempt", n(delivery.attempt()));
        item.put("succeeded", AttributeValue.fromBool(delivery.succeeded()));
        if (delivery.responseStatus() != null) {
            item.put("response_status", n(delivery.responseStatus()));
        }
        if (delivery.error() != null) {
            item.put("error", s(delivery.error()));
        }
        item.put("duration_ms", n(delivery.durationMillis()));
        if (delivery.responseBody() != null) {
            item.put("response_body", s(delivery.responseBody()));
        }
        item.put("redelivery", AttributeValue.fromBool(delivery.redelivery()));
        if (delivery.nextAttemptAt() != null) {
            item.put("next_attempt_at", s(Json.timestamp(delivery.nextAttemptAt())));
        }
        item.put("created_at", s(Json.timestamp(delivery.createdAt())));
        item.put("payload", s(delivery.payload()));
        item.put("expires_at", n(delivery.createdAt().plus(KEPT).getEpochSecond()));
        dynamo.putItem(p -> p.tableName(table).item(item));
    }

    /** The webhook's attempts, newest first. Reads offset + limit items at most. */
    public List<Delivery> page(String webhookId, int offset, int limit) {
        QueryRequest request = query(webhookId).limit((int) Math.min((long) offset + limit, 1000)).build();
        return Pages.slice(dynamo.queryPaginator(request).items(), offset, limit, DeliveryLog::fromItem);
    }

    /** How many attempts of the webhook the log holds (a count query: 30 days of one webhook's attempts). */
    public long count(String webhookId) {
        long total = 0;
        for (var page : dynamo.queryPaginator(query(webhookId).select(Select.COUNT).build())) {
            total += page.count();
        }
        return total;
    }

    public Optional<Delivery> find(String webhookId, String id) {
        if (!ID.matcher(id).matches()) {
            return Optional.empty();
        }
        Map<String, AttributeValue> item = dynamo.getItem(g -> g.tableName(table).consistentRead(true)
                .key(Map.of("webhook_id", s(webhookId), "id", s(id)))).item();
        return found(item) ? Optional.of(fromItem(item)) : Optional.empty();
    }

    private QueryRequest.Builder query(String webhookId) {
        return QueryRequest.builder().tableName(table).consistentRead(true)
                .keyConditionExpression("webhook_id = :w")
                .expressionAttributeValues(Map.of(":w", s(webhookId)))
                .scanIndexForward(false);
    }

    private static Delivery fromItem(Map<String, AttributeValue> item) {
        return new Delivery(text(item, "id"), text(item, "webhook_id"), text(item, "account_id"),
                text(item, "event_id"), text(item, "event_type"), (int) number(item, "attempt"),
                item.get("succeeded").bool(),
                item.containsKey("response_status") ? (int) number(item, "response_status") : null,
                text(item, "error"), number(item, "duration_ms"), text(item, "response_body"),
                item.get("redelivery").bool(), instant(item, "next_attempt_at"), instant(item, "created_at"),
                text(item, "payload"));
    }
}
