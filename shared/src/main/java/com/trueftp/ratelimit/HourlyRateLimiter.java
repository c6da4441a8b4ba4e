package com.trueftp.ratelimit;

import com.trueftp.auth.Caller;
import com.trueftp.aws.Tables;
import com.trueftp.core.Config;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

import javax.inject.Inject;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/**
 * A fixed window per key and clock hour (UTC): one conditional DynamoDB update per request that adds 1
 * only while the count is below the limit. The condition and the increment are one atomic write, so
 * concurrent requests can never push a key past its limit, and a refused request writes nothing.
 * Counters expire through TTL an hour after their window.
 */
public class HourlyRateLimiter implements RateLimiter {
    private final DynamoDbClient dynamo;
    private final String table;
    private final Clock clock;

    @Inject
    public HourlyRateLimiter(DynamoDbClient dynamo, Config config, Clock clock) {
        this.dynamo = dynamo;
        this.table = config.require(Tables.RATE_LIMITS.nameVariable());
        this.clock = clock;
    }

    @Override
    public RateLimit acquire(Caller caller) {
        long now = clock.instant().getEpochSecond();
        long windowStart = now - Math.floorMod(now, WINDOW_SECONDS);
        long windowEnd = windowStart + WINDOW_SECONDS;
        int limit = caller.rateLimit();
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":one", AttributeValue.fromN("1"));
        values.put(":limit", AttributeValue.fromN(Integer.toString(limit)));
        values.put(":expires", AttributeValue.fromN(Long.toString(windowEnd + WINDOW_SECONDS)));
        try {
            Map<String, AttributeValue> updated = dynamo.updateItem(b -> b.tableName(table)
                    .key(Map.of("counter_id", AttributeValue.fromS(caller.keyId() + "#" + windowStart)))
                    .updateExpression("ADD #count :one SET expires_at = if_not_exists(expires_at, :expires)")
                    .conditionExpression("attribute_not_exists(#count) OR #count < :limit")
                    .expressionAttributeNames(Map.of("#count", "count"))
                    .expressionAttributeValues(values)
                    .returnValues(ReturnValue.UPDATED_NEW)).attributes();
            long count = Long.parseLong(updated.get("count").n());
            return new RateLimit(limit, Math.max(0, limit - count), windowEnd);
        } catch (ConditionalCheckFailedException e) {
            throw new RateLimitExceededException(new RateLimit(limit, 0, windowEnd), Math.max(1, windowEnd - now));
        }
    }
}
