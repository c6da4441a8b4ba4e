package com.trueftp.emulators;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** TransactWriteItems as the emulator's DynamoDB answers it: all items or none, a reason for each failed one. */
class DynaliteTransactionsIT {
    private static final String TABLE = "things";
    private static Dynalite dynalite;
    private static DynamoDbClient dynamo;

    @BeforeAll
    static void start() throws IOException {
        dynalite = Dynalite.start(0, null);
        dynamo = DynamoDbClient.builder().endpointOverride(URI.create(dynalite.endpoint())).region(Region.US_EAST_1)
                .httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .build();
        dynamo.createTable(b -> b.tableName(TABLE).billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(a -> a.attributeName("id").attributeType(ScalarAttributeType.S))
                .keySchema(k -> k.attributeName("id").keyType(KeyType.HASH)));
    }

    @AfterAll
    static void stop() {
        if (dynamo != null) {
            dynamo.close();
        }
        if (dynalite != null) {
            dynalite.close();
        }
    }

    private static Map<String, AttributeValue> item(String id, String value) {
        return Map.of("id", AttributeValue.fromS(id), "value", AttributeValue.fromS(value));
    }

    private static TransactWriteItem create(String id, String value) {
        return TransactWriteItem.builder().put(p -> p.tableName(TABLE).item(item(id, value))
                .conditionExpression("attribute_not_exists(id)")).build();
    }

    private static String value(String id) {
        Map<String, AttributeValue> found = dynamo.getItem(b -> b.tableName(TABLE).consistentRead(true)
                .key(Map.of("id", AttributeValue.fromS(id)))).item();
        return found == null || found.isEmpty() ? null : found.get("value").s();
    }

    @Test
    void aTransactionAppliesEveryItem() {
        dynamo.putItem(b -> b.tableName(TABLE).item(item("old", "before")));

        dynamo.transactWriteItems(b -> b.transactItems(create("new", "made"),
                TransactWriteItem.builder().update(u -> u.tableName(TABLE).key(Map.of("id", AttributeValue.fromS("old")))
                        .updateExpression("SET #v = :v").conditionExpression("#v = :was")
                        .expressionAttributeNames(Map.of("#v", "value"))
                        .expressionAttributeValues(Map.of(":v", AttributeValue.fromS("after"),
                                ":was", AttributeValue.fromS("before")))).build()));

        assertThat(value("new")).isEqualTo("made");
        assertThat(value("old")).isEqualTo("after");
    }

    @Test
    void aTransactionWithFailedConditionsChangesNothingAndNamesEachFailedItem() {
        dynamo.putItem(b -> b.tableName(TABLE).item(item("taken-1", "first")));
        dynamo.putItem(b -> b.tableName(TABLE).item(item("taken-2", "first")));
        dynamo.putItem(b -> b.tableName(TABLE).item(item("kept", "as it was")));

        TransactionCanceledException cancelled = catchThrowableOfType(TransactionCanceledException.class, () ->
                dynamo.transactWriteItems(b -> b.transactItems(create("free", "x"), create("taken-1", "second"),
                        TransactWriteItem.builder().delete(d -> d.tableName(TABLE)
                                .key(Map.of("id", AttributeValue.fromS("kept")))).build(),
                        create("taken-2", "second"))));

        assertThat(cancelled.cancellationReasons()).extracting(CancellationReason::code)
                .containsExactly("None", "ConditionalCheckFailed", "None", "ConditionalCheckFailed");
        assertThat(value("free")).isNull();
        assertThat(value("taken-1")).isEqualTo("first");
        assertThat(value("taken-2")).isEqualTo("first");
        assertThat(value("kept")).isEqualTo("as it was");
    }

    @Test
    void aPutThatMayReplaceIsPutBackWhenTheTransactionFails() {
        dynamo.putItem(b -> b.tableName(TABLE).item(item("replaced", "original")));
        dynamo.putItem(b -> b.tableName(TABLE).item(item("taken-3", "first")));

        TransactionCanceledException cancelled = catchThrowableOfType(TransactionCanceledException.class, () ->
                dynamo.transactWriteItems(b -> b.transactItems(
                        TransactWriteItem.builder().put(p -> p.tableName(TABLE).item(item("replaced", "new"))).build(),
                        create("taken-3", "second"))));

        assertThat(cancelled).isNotNull();
        assertThat(value("replaced")).isEqualTo("original");
    }
}
