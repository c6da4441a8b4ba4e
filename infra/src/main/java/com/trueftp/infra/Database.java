package com.trueftp.infra;

import com.trueftp.aws.TableSpec;
import com.trueftp.aws.Tables;
import com.trueftp.stack.StackOutputs;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.dynamodb.Attribute;
import software.amazon.awscdk.services.dynamodb.AttributeType;
import software.amazon.awscdk.services.dynamodb.BillingMode;
import software.amazon.awscdk.services.dynamodb.GlobalSecondaryIndexProps;
import software.amazon.awscdk.services.dynamodb.PointInTimeRecoverySpecification;
import software.amazon.awscdk.services.dynamodb.ProjectionType;
import software.amazon.awscdk.services.dynamodb.Table;
import software.amazon.awscdk.services.dynamodb.StreamViewType;
import software.amazon.awscdk.services.dynamodb.TableEncryption;
import software.amazon.awscdk.services.kms.Key;

import java.util.LinkedHashMap;
import java.util.Map;

/** The DynamoDB tables, one per {@link Tables#ALL} spec, each with an output naming it for the admin CLI. */
final class Database {
    private final Map<TableSpec, Table> tables = new LinkedHashMap<>();
    private final Key webhookSecretsKey;

    /** Builds into the stack's own scope: see {@link TrueFtpStack}. */
    Database(Stack stack) {
        webhookSecretsKey = Key.Builder.create(stack, "WebhookSecretsKey")
                .description("Encrypts the webhooks table, which holds the signing secrets")
                .enableKeyRotation(true)
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();
        for (TableSpec spec : Tables.ALL) {
            tables.put(spec, createTable(stack, spec));
        }
    }

    Table table(TableSpec spec) {
        return tables.get(spec);
    }

    /**
     * The webhooks' signing secrets are encrypted with a key of the stack's own (rotated yearly), so that reading
     * them takes a grant on that key besides the table.
     */
    Key webhookSecretsKey() {
        return webhookSecretsKey;
    }

    private Table createTable(Stack stack, TableSpec spec) {
        boolean secrets = spec.equals(Tables.WEBHOOKS);
        Table table = Table.Builder.create(stack, StackOutputs.pascal(spec.id()) + "Table")
                .partitionKey(attribute(spec.partitionKey()))
                .sortKey(spec.sortKey() == null ? null : attribute(spec.sortKey()))
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .pointInTimeRecoverySpecification(PointInTimeRecoverySpecification.builder()
                        .pointInTimeRecoveryEnabled(true).build())
                .encryption(secrets ? TableEncryption.CUSTOMER_MANAGED : TableEncryption.AWS_MANAGED)
                .encryptionKey(secrets ? webhookSecretsKey : null)
                // The events table's stream is the webhooks' outbox: every event written is fanned out.
                .stream(spec.equals(Tables.EVENTS) ? StreamViewType.NEW_IMAGE : null)
                .timeToLiveAttribute(spec.ttlAttribute())
                // Customer data: deleting the stack must not delete it.
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();
        for (TableSpec.Index index : spec.indexes()) {
            table.addGlobalSecondaryIndex(GlobalSecondaryIndexProps.builder()
                    .indexName(index.name())
                    .partitionKey(attribute(index.partitionKey()))
                    .sortKey(index.sortKey() == null ? null : attribute(index.sortKey()))
                    .projectionType(ProjectionType.ALL)
                    .build());
        }
        // The admin CLI finds the deployed table names through these outputs.
        CfnOutput.Builder.create(stack, StackOutputs.tableName(spec))
                .description("DynamoDB table " + spec.id())
                .value(table.getTableName())
                .build();
        return table;
    }

    private static Attribute attribute(TableSpec.Key key) {
        return Attribute.builder()
                .name(key.name())
                .type(key.type() == TableSpec.KeyType.NUMBER ? AttributeType.NUMBER : AttributeType.STRING)
                .build();
    }
}
