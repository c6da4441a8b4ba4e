package com.trueftp.stack;

import com.trueftp.aws.TableSpec;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Creates the stack's tables on an emulator (the local runtime, tests) from the same {@link TableSpec}s the CDK stack uses. */
public final class TableProvisioner {
    private TableProvisioner() {
    }

    /** Creates each table that does not exist yet (data kept from an earlier run stays). */
    public static void createTables(DynamoDbClient dynamo, List<TableSpec> tables) {
        for (TableSpec table : tables) {
            try {
                dynamo.createTable(createRequest(table));
            } catch (ResourceInUseException exists) {
                // created by an earlier run on the same data directory
            }
        }
    }

    static CreateTableRequest createRequest(TableSpec table) {
        Map<String, AttributeDefinition> attributes = new LinkedHashMap<>();
        List<GlobalSecondaryIndex> indexes = new ArrayList<>();
        List<KeySchemaElement> keySchema = keySchema(table.partitionKey(), table.sortKey(), attributes);
        for (TableSpec.Index index : table.indexes()) {
            indexes.add(GlobalSecondaryIndex.builder().indexName(index.name())
                    .keySchema(keySchema(index.partitionKey(), index.sortKey(), attributes))
                    .projection(Projection.builder().projectionType(ProjectionType.ALL).build())
                    .build());
        }
        CreateTableRequest.Builder request = CreateTableRequest.builder()
                .tableName(LocalSettings.tableName(table))
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .keySchema(keySchema)
                .attributeDefinitions(attributes.values());
        if (!indexes.isEmpty()) {
            request.globalSecondaryIndexes(indexes);
        }
        return request.build();
    }

    private static List<KeySchemaElement> keySchema(TableSpec.Key partition, TableSpec.Key sort,
                                                    Map<String, AttributeDefinition> attributes) {
        List<KeySchemaElement> schema = new ArrayList<>();
        schema.add(KeySchemaElement.builder().attributeName(partition.name()).keyType(KeyType.HASH).build());
        attributes.put(partition.name(), definition(partition));
        if (sort != null) {
            schema.add(KeySchemaElement.builder().attributeName(sort.name()).keyType(KeyType.RANGE).build());
            attributes.put(sort.name(), definition(sort));
        }
        return schema;
    }

    private static AttributeDefinition definition(TableSpec.Key key) {
        return AttributeDefinition.builder().attributeName(key.name())
                .attributeType(key.type() == TableSpec.KeyType.NUMBER ? ScalarAttributeType.N : ScalarAttributeType.S)
                .build();
    }
}
