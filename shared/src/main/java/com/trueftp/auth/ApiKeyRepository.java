package com.trueftp.auth;

import com.trueftp.aws.Tables;
import com.trueftp.core.Config;
import com.trueftp.core.Json;
import com.trueftp.core.RandomIds;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

import javax.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import static com.trueftp.aws.Attributes.found;
import static com.trueftp.aws.Attributes.instant;
import static com.trueftp.aws.Attributes.n;
import static com.trueftp.aws.Attributes.s;

/** API keys in DynamoDB, keyed by token hash; indexes find them by account and by key id. */
public class ApiKeyRepository {
    private final DynamoDbClient dynamo;
    private final String table;
    private final Clock clock;

    /** A key together with its token, which exists only at creation. */
    public record CreatedKey(ApiKey key, String token) {
    }

    @Inject
    public ApiKeyRepository(DynamoDbClient dynamo, Config config, Clock clock) {
        this.dynamo = dynamo;
        this.table = config.require(Tables.API_KEYS.nameVariable());
        this.clock = clock;
    }

    public CreatedKey create(String accountId, String name, Set<Scope> scopes, int rateLimit, Instant expiresAt) {
        String token = ApiToken.generate();
        ApiKey key = new ApiKey(RandomIds.newId("key"), accountId, name, EnumSet.copyOf(scopes), rateLimit,
                RandomIds.base62(40), clock.instant().truncatedTo(ChronoUnit.MILLIS), expiresAt, null);
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("token_hash", s(ApiToken.hash(token)));
        item.put("id", s(key.id()));
        item.put("account_id", s(accountId));
        item.put("name", s(name));
        item.put("scopes", AttributeValue.fromSs(scopes.stream().map(Scope::id).sorted().toList()));
        item.put("rate_limit", n(rateLimit));
        item.put("usage_key", s(key.usageKey()));
        item.put("created_at", s(Json.timestamp(key.createdAt())));
        if (expiresAt != null) {
            item.put("expires_at", s(Json.timestamp(expiresAt)));
        }
        dynamo.putItem(b -> b.tableName(table).item(item).conditionExpression("attribute_not_exists(token_hash)"));
        return new CreatedKey(key, token);
    }

    /** The key a token belongs to, live or not; the token is hashed before it leaves this method. */
    public Optional<ApiKey> findByToken(String token) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table)
                .key(Map.of("token_hash", s(ApiToken.hash(token))))
                .consistentRead(true)).item();
        return found(item) ? Optional.of(fromItem(item)) : Optional.empty();
    }

    public List<ApiKey> listByAccount(String accountId) {
        List<ApiKey> keys = new ArrayList<>();
        QueryRequest request = QueryRequest.builder().tableName(table).indexName(Tables.ApiKeysIndexes.BY_ACCOUNT)
                .keyConditionExpression("account_id = :a")
                .expressionAttributeValues(Map.of(":a", s(accountId)))
                .build();
        dynamo.queryPaginator(request).items().forEach(item -> keys.add(fromItem(item)));
        return keys;
    }

    /** Marks a key revoked; empty if there is no such key. Revoking twice keeps the first time. */
    public Optional<ApiKey> revoke(String keyId) {
        List<Map<String, AttributeValue>> found = dynamo.query(b -> b.tableName(table)
                .indexName(Tables.ApiKeysIndexes.BY_ID)
                .keyConditionExpression("id = :id")
                .expressionAttributeValues(Map.of(":id", s(keyId)))).items();
        if (found.isEmpty()) {
            return Optional.empty();
        }
        AttributeValue hash = found.get(0).get("token_hash");
        revokeHash(hash);
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table)
                .key(Map.of("token_hash", hash)).consistentRead(true)).item();
        return Optional.of(fromItem(item));
    }

    private void revokeHash(AttributeValue hash) {
        String now = Json.timestamp(clock.instant());
        try {
            dynamo.updateItem(b -> b.tableName(table)
                    .key(Map.of("token_hash", hash))
                    .updateExpression("SET revoked_at = :now")
                    .conditionExpression("attribute_exists(token_hash) AND attribute_not_exists(revoked_at)")
                    .expressionAttributeValues(Map.of(":now", s(now))));
        } catch (ConditionalCheckFailedException alreadyRevoked) {
            // keep the first revocation time
        }
    }

    /** Revokes the key of a token directly by its hash (no index lag: usable right after {@link #create}). */
    public void revokeToken(String token) {
        revokeHash(s(ApiToken.hash(token)));
    }

    /** Lowers every key of the account whose hourly limit is above {@code max} to it. */
    public void capRateLimits(String accountId, int max) {
        QueryRequest request = QueryRequest.builder().tableName(table).indexName(Tables.ApiKeysIndexes.BY_ACCOUNT)
                .keyConditionExpression("account_id = :a")
                .expressionAttributeValues(Map.of(":a", s(accountId)))
                .build();
        AttributeValue limit = n(max);
        for (Map<String, AttributeValue> item : dynamo.queryPaginator(request).items()) {
            if (Integer.parseInt(item.get("rate_limit").n()) > max) {
                try {
                    dynamo.updateItem(b -> b.tableName(table).key(Map.of("token_hash", item.get("token_hash")))
                            .updateExpression("SET rate_limit = :max")
                            .conditionExpression("rate_limit > :max")
                            .expressionAttributeValues(Map.of(":max", limit)));
                } catch (ConditionalCheckFailedException alreadyLower) {
                    // changed meanwhile to something lower
                }
            }
        }
    }

    private static ApiKey fromItem(Map<String, AttributeValue> item) {
        Set<Scope> scopes = new TreeSet<>();
        item.get("scopes").ss().forEach(s -> Scope.parse(s).ifPresent(scopes::add));
        return new ApiKey(item.get("id").s(), item.get("account_id").s(), item.get("name").s(), scopes,
                Integer.parseInt(item.get("rate_limit").n()), item.get("usage_key").s(),
                instant(item, "created_at"), instant(item, "expires_at"), instant(item, "revoked_at"));
    }
}
