package com.trueftp.infra;

import com.trueftp.account.Plan;
import com.trueftp.aws.TableSpec;
import com.trueftp.aws.Tables;
import com.trueftp.core.Config;
import com.trueftp.core.Json;
import com.trueftp.http.Route;
import com.trueftp.http.Routes;
import com.trueftp.stack.GatewayResponse;
import com.trueftp.stack.LambdaFunction;
import com.trueftp.stack.StackOutputs;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static com.trueftp.infra.Stacks.at;
import static com.trueftp.infra.Stacks.functionId;
import static com.trueftp.infra.Stacks.properties;
import static com.trueftp.infra.Stacks.referencedId;
import static com.trueftp.infra.Stacks.resources;
import static org.assertj.core.api.Assertions.assertThat;

/** The default stack (no context beyond cdk.json), synthesized once for the class. */
class TrueFtpStackTest {
    /** Claiming a key, reading what it holds, keeping the answer, freeing it. */
    private static final Set<String> IDEMPOTENCY = Set.of("dynamodb:PutItem", "dynamodb:GetItem",
            "dynamodb:UpdateItem", "dynamodb:DeleteItem");
    private static final Set<String> DYNAMODB_READS = Set.of("dynamodb:GetItem", "dynamodb:BatchGetItem",
            "dynamodb:Query", "dynamodb:ConditionCheckItem", "dynamodb:DescribeTable", "dynamodb:GetRecords",
            "dynamodb:GetShardIterator", "dynamodb:Scan");

    private static Template template;

    @BeforeAll
    static void synth() {
        template = Stacks.template();
    }

    record MethodSpec(String httpMethod, String path, String authorizationType, String authorizerId,
                      String integrationType, String functionId) {
    }

    @Test
    void everyRouteAndAnAnyMethodPerPathAreTheOnlyMethodsAllBehindTheAuthorizerButOnPublicPaths() {
        String authorizerId = template.getResourceId("AWS::ApiGateway::Authorizer");
        Set<MethodSpec> expected = new HashSet<>();
        for (Route route : Routes.ALL) {
            expected.add(method(route.method(), route.resource(), authorizerId, route.function()));
        }
        for (String path : Routes.templates()) {
            // A wrong method reaches the path's (first) function, which answers 405 like the local gateway.
            LambdaFunction function = Routes.ALL.stream().filter(r -> r.path().equals(path)).findFirst()
                    .orElseThrow().function();
            expected.add(method("ANY", Routes.BASE_PATH + path, authorizerId, function));
        }
        assertThat(methods()).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(publicPaths()).as("the OpenAPI document is public").containsExactly(Routes.BASE_PATH + "/openapi.json");
    }

    /** A method as expected: a public path's methods take no token, every other one the token authorizer. */
    private static MethodSpec method(String httpMethod, String path, String authorizerId, LambdaFunction function) {
        boolean open = publicPaths().contains(path);
        return new MethodSpec(httpMethod, path, open ? "NONE" : "CUSTOM", open ? null : authorizerId, "AWS_PROXY",
                functionId(template, function.handler()));
    }

    @Test
    void everyTableFromTheSpecsIsOnDemandWithRecoveryEncryptionItsKeysAndIndexesAndIsRetained() {
        template.resourceCountIs("AWS::DynamoDB::Table", Tables.ALL.size());
        for (TableSpec spec : Tables.ALL) {
            String id = referencedId(at(template.findOutputs(StackOutputs.tableName(spec)).get(StackOutputs.tableName(spec)), "Value"));
            Map<String, Object> table = resources(template, "AWS::DynamoDB::Table").get(id);
            assertThat(table).as(spec.id()).isNotNull();
            assertThat(table).containsEntry("DeletionPolicy", "Retain").containsEntry("UpdateReplacePolicy", "Retain");
            Map<String, Object> props = properties(table);
            assertThat(props.get("KeySchema")).as(spec.id()).isEqualTo(keySchema(spec.partitionKey(), spec.sortKey()));
            assertThat(props).containsEntry("BillingMode", "PAY_PER_REQUEST");
            assertThat(at(props, "PointInTimeRecoverySpecification", "PointInTimeRecoveryEnabled")).isEqualTo(true);
            assertThat(at(props, "SSESpecification", "SSEEnabled")).isEqualTo(true);
            // AWS-managed keys, except the webhooks table's own key for the signing secrets.
            assertThat(at(props, "SSESpecification", "KMSMasterKeyId")).as(spec.id()).isEqualTo(
                    spec.equals(Tables.WEBHOOKS) ? Map.of("Fn::GetAtt", List.of("WebhookSecretsKey5C1E05FC", "Arn")) : null);
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> definitions = (List<Map<String, Object>>) props.get("AttributeDefinitions");
            for (TableSpec.Key key : keys(spec)) {
                assertThat(definitions).contains(Map.of("AttributeName", key.name(),
                        "AttributeType", key.type() == TableSpec.KeyType.NUMBER ? "N" : "S"));
            }
            List<Map<String, Object>> indexes = new ArrayList<>();
            for (TableSpec.Index index : spec.indexes()) {
                indexes.add(Map.of("IndexName", index.name(),
                        "KeySchema", keySchema(index.partitionKey(), index.sortKey()),
                        "Projection", Map.of("ProjectionType", "ALL")));
            }
            assertThat(props.get("GlobalSecondaryIndexes")).as(spec.id()).isEqualTo(indexes.isEmpty() ? null : indexes);
            assertThat(props.get("TimeToLiveSpecification")).as(spec.id()).isEqualTo(spec.ttlAttribute() == null ? null
                    : Map.of("AttributeName", spec.ttlAttribute(), "Enabled", true));
        }
    }

    @Test
    void functionsRunJava21OnArm64WithTheirHandlerJsonLogsAndTheirOwnLogGroup() {
        // Ours, and CDK's own that sets the bucket's notification configuration at deploy (a custom resource).
        template.resourceCountIs("AWS::Lambda::Function", LambdaFunction.values().length + 1);
        assertThat(resources(template, "AWS::Lambda::Function")).containsKey(
                "BucketNotificationsHandler050a0587b7544547bf325f094a3db8347ECC3691");
        Map<String, Map<String, Object>> logGroups = resources(template, "AWS::Logs::LogGroup");
        Set<String> usedLogGroups = new HashSet<>();
        for (LambdaFunction f : LambdaFunction.values()) {
            Map<String, Object> props = properties(resources(template, "AWS::Lambda::Function")
                    .get(functionId(template, f.handler())));
            assertThat(props).as(f.id())
                    .containsEntry("Runtime", "java21")
                    .containsEntry("Architectures", List.of("arm64"))
                    .containsEntry("MemorySize", 1024)
                    .containsEntry("Description", f.description());
            // Within API Gateway's 29 s: the files and ftp-users functions may delete thousands of objects. The
            // event-driven ones have no client waiting: the dispatcher's batch of ten attempts takes up to 15 s each.
            boolean servesRequests = f == LambdaFunction.AUTHORIZER || !Routes.of(f).isEmpty();
            assertThat(((Number) props.get("Timeout")).intValue()).as(f.id()).isBetween(10, servesRequests ? 29 : 60);
            assertThat(at(props, "Environment", "Variables", "JAVA_TOOL_OPTIONS"))
                    .isEqualTo("-XX:+TieredCompilation -XX:TieredStopAtLevel=1");
            assertThat(at(props, "LoggingConfig", "LogFormat")).isEqualTo("JSON");
            assertThat(at(props, "LoggingConfig", "ApplicationLogLevel")).isEqualTo("INFO");
            String logGroup = referencedId(at(props, "LoggingConfig", "LogGroup"));
            assertThat(logGroups).as(f.id()).containsKey(logGroup);
            assertThat(usedLogGroups.add(logGroup)).as(f.id() + " has a log group of its own").isTrue();
        }
    }

    @Test
    void functionsGetTheNamesOfExactlyTheTablesTheyUse() {
        assertThat(tableVariables(LambdaFunction.AUTHORIZER))
                .isEqualTo(tableNames(Tables.API_KEYS, Tables.ACCOUNTS));
        assertThat(tableVariables(LambdaFunction.ACCOUNT)).isEqualTo(tableNames(Tables.ACCOUNTS, Tables.RATE_LIMITS));
        assertThat(tableVariables(LambdaFunction.FTP_USERS))
                .isEqualTo(tableNames(Tables.FTP_USERS, Tables.ACCOUNTS, Tables.RATE_LIMITS, Tables.EVENTS,
                        Tables.FILE_RECORDS, Tables.IDEMPOTENCY_KEYS));
        assertThat(tableVariables(LambdaFunction.FILE_ACTIVITY))
                .isEqualTo(tableNames(Tables.FILE_RECORDS, Tables.ACCOUNTS, Tables.EVENTS, Tables.FTP_USERS));
        assertThat(tableVariables(LambdaFunction.EVENTS))
                .isEqualTo(tableNames(Tables.EVENTS, Tables.ACCOUNTS, Tables.RATE_LIMITS));
    }

    @Test
    void authorizerReadsTheAuthorizationHeaderAndCachesForTheDefaultTtl() {
        template.resourceCountIs("AWS::ApiGateway::Authorizer", 1);
        Map<String, Object> props = properties(resources(template, "AWS::ApiGateway::Authorizer").values()
                .iterator().next());
        assertThat(props).containsEntry("Type", "REQUEST")
                .containsEntry("IdentitySource", "method.request.header.Authorization")
                .containsEntry("AuthorizerResultTtlInSeconds", (int) Config.DEFAULT_AUTH_CACHE_TTL.toSeconds());
        assertThat(Json.write(props.get("AuthorizerUri")))
                .contains(functionId(template, LambdaFunction.AUTHORIZER.handler()));
    }

    @Test
    void gatewayAnswersAreJsonErrorsWithTheirStatus() {
        Map<String, Object[]> expected = new TreeMap<>(Map.ofEntries(
                Map.entry("UNAUTHORIZED", new Object[]{"401", "{\"error\":\"missing, invalid or expired token\"}"}),
                Map.entry("ACCESS_DENIED", new Object[]{"403", "{\"error\":\"access denied\"}"}),
                Map.entry("MISSING_AUTHENTICATION_TOKEN", new Object[]{"404", "{\"error\":\"no such endpoint\"}"}),
                Map.entry("AUTHORIZER_FAILURE", new Object[]{"503",
                        "{\"error\":\"service temporarily unavailable, retry shortly\"}"}),
                Map.entry("AUTHORIZER_CONFIGURATION_ERROR", new Object[]{"503",
                        "{\"error\":\"service temporarily unavailable, retry shortly\"}"}),
                Map.entry("THROTTLED", new Object[]{"429", "{\"error\":\"rate limit exceeded\"}"}),
                Map.entry("QUOTA_EXCEEDED", new Object[]{"429", "{\"error\":\"daily quota exceeded\"}"}),
                Map.entry("REQUEST_TOO_LARGE", new Object[]{"413", "{\"error\":\"" + GatewayResponse.REQUEST_TOO_LARGE.message() + "\"}"}),
                Map.entry("INTEGRATION_TIMEOUT", new Object[]{"504", "{\"error\":\"request timed out\"}"}),
                Map.entry("INTEGRATION_FAILURE", new Object[]{"503",
                        "{\"error\":\"service temporarily unavailable, retry shortly\"}"}),
                Map.entry("DEFAULT_4XX", new Object[]{null, "{\"error\":$context.error.messageString}"}),
                Map.entry("DEFAULT_5XX", new Object[]{null, "{\"error\":$context.error.messageString}"})));
        template.resourceCountIs("AWS::ApiGateway::GatewayResponse", expected.size());
        expected.forEach((type, answer) -> template.hasResourceProperties("AWS::ApiGateway::GatewayResponse", Map.of(
                "ResponseType", type,
                "StatusCode", answer[0] == null ? Match.absent() : answer[0],
                "ResponseParameters", Match.objectLike(
                        Map.of("gatewayresponse.header.Content-Type", "'application/json; charset=utf-8'")),
                "ResponseTemplates", Map.of("application/json", answer[1]))));
    }

    @Test
    void everyGatewayAnswerCarriesTheRequestIdAndNoStoreLikeTheFunctionsAnswers() {
        template.resourceCountIs("AWS::ApiGateway::GatewayResponse", GatewayResponse.values().length + 2);
        // The request id as a context mapping (the id the functions see); a literal would be quoted.
        template.allResourcesProperties("AWS::ApiGateway::GatewayResponse", Map.of(
                "ResponseParameters", Match.objectLike(Map.of(
                        "gatewayresponse.header.X-Request-Id", "context.requestId",
                        "gatewayresponse.header.Cache-Control", "'no-store'"))));
    }

    @Test
    void apiIsRegionalOnStageProdWithBinaryBodiesAndJsonAccessLogs() throws Exception {
        template.hasResourceProperties("AWS::ApiGateway::RestApi", Map.of(
                "Name", "trueftp",
                "EndpointConfiguration", Map.of("Types", List.of("REGIONAL")),
                "BinaryMediaTypes", List.of("multipart/form-data", "application/octet-stream", "application/json")));
        Map<String, Object> stage = properties(resources(template, "AWS::ApiGateway::Stage").values().iterator().next());
        assertThat(stage).containsEntry("StageName", "prod");
        assertThat(resources(template, "AWS::Logs::LogGroup"))
                .containsKey(referencedId(at(stage, "AccessLogSetting", "DestinationArn")));
        Map<String, Object> format = Json.readObject((String) at(stage, "AccessLogSetting", "Format"));
        assertThat(format).containsKeys("requestId", "ip", "method", "resourcePath", "status", "latency")
                .containsEntry("principalId", "$context.authorizer.principalId");
        // API Gateway writes access logs only with the account's CloudWatch role set.
        template.resourceCountIs("AWS::ApiGateway::Account", 1);
    }

    @Test
    void everyLogGroupKeepsOneMonthAndGoesWithTheStack() {
        template.resourceCountIs("AWS::Logs::LogGroup", LambdaFunction.values().length + 1);
        template.allResourcesProperties("AWS::Logs::LogGroup", Map.of("RetentionInDays", 30));
        template.allResources("AWS::Logs::LogGroup", Map.of("DeletionPolicy", "Delete"));
    }

    @Test
    void outputsGiveTheApiUrlAndEveryTableName() {
        assertThat(Json.write(at(template.findOutputs(StackOutputs.API_URL).get(StackOutputs.API_URL),
                "Value"))).contains(".execute-api.").contains("\"/api/ext/v1\"");
        for (TableSpec spec : Tables.ALL) {
            assertThat(template.findOutputs(StackOutputs.tableName(spec))).as(StackOutputs.tableName(spec)).hasSize(1);
        }
    }

    @Test
    void accountFunctionCanOnlyGetAccountsAndUpdateRateLimitCounters() {
        List<Map<String, Object>> statements = statements(LambdaFunction.ACCOUNT);
        assertThat(statements).hasSize(2);
        for (Map<String, Object> statement : statements) {
            Set<String> actions = actions(List.of(statement));
            Set<String> resources = resourceIds(List.of(statement));
            if (actions.contains("dynamodb:GetItem")) {
                assertThat(actions).containsOnly("dynamodb:GetItem");
                assertThat(resources).containsOnly(tableId(Tables.ACCOUNTS));
            } else {
                assertThat(actions).containsOnly("dynamodb:UpdateItem");
                assertThat(resources).containsOnly(tableId(Tables.RATE_LIMITS));
            }
        }
    }

    @Test
    void ftpUsersFunctionWritesOnlyUsersTheAccountCounterRateLimitsAndDeletesFiles() {
        String bucket = bucketId();
        assertThat(permissions(LambdaFunction.FTP_USERS)).isEqualTo(Map.of(
                tableId(Tables.FTP_USERS), Set.of("dynamodb:GetItem", "dynamodb:Query", "dynamodb:PutItem",
                        "dynamodb:UpdateItem", "dynamodb:DeleteItem"),
                tableId(Tables.ACCOUNTS), Set.of("dynamodb:GetItem", "dynamodb:UpdateItem"),
                tableId(Tables.RATE_LIMITS), Set.of("dynamodb:UpdateItem"),
                tableId(Tables.EVENTS), Set.of("dynamodb:PutItem", "dynamodb:GetItem", "dynamodb:UpdateItem"),
                tableId(Tables.FILE_RECORDS), Set.of("dynamodb:BatchGetItem", "dynamodb:PutItem", "dynamodb:DeleteItem"),
                tableId(Tables.IDEMPOTENCY_KEYS), IDEMPOTENCY,
                // Deleting a user deletes its files: list them, delete them (conditional deletes need GetObject).
                bucket, Set.of("s3:ListBucket"),
                bucket + "/*", Set.of("s3:GetObject", "s3:DeleteObject")));
    }

    @Test
    void filesFunctionReachesObjectsOfTheFilesBucketAndTheCountersItKeeps() {
        String bucket = bucketId();
        assertThat(permissions(LambdaFunction.FILES)).isEqualTo(Map.of(
                tableId(Tables.FTP_USERS), Set.of("dynamodb:GetItem"),
                tableId(Tables.FILE_RECORDS), Set.of("dynamodb:BatchGetItem", "dynamodb:PutItem", "dynamodb:Query",
                        "dynamodb:DeleteItem"),
                tableId(Tables.IDEMPOTENCY_KEYS), IDEMPOTENCY,
                tableId(Tables.ACCOUNTS), Set.of("dynamodb:GetItem", "dynamodb:UpdateItem"),
                tableId(Tables.RATE_LIMITS), Set.of("dynamodb:UpdateItem"),
                tableId(Tables.EVENTS), Set.of("dynamodb:PutItem", "dynamodb:GetItem", "dynamodb:UpdateItem"),
                bucket, Set.of("s3:ListBucket"),
                bucket + "/*", Set.of("s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload")));
        Map<String, Object> variables = environment(LambdaFunction.FILES);
        assertThat(referencedId(variables.get(Config.FILES_BUCKET))).isEqualTo(bucket);
        assertThat(variables).containsEntry(Config.DOWNLOAD_URL_TTL_SECONDS, "300")
                .containsEntry(Config.UPLOAD_URL_TTL_SECONDS, "900");
        // The cursor key is resolved from Secrets Manager at deploy time: never a literal in the template.
        assertThat(Json.write(variables.get(Config.CURSOR_SECRET))).contains("{{resolve:secretsmanager:")
                .contains(template.getResourceId("AWS::SecretsManager::Secret"));
    }

    /** What each function may change in a table it shares: only the attributes it owns, never the rest. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "FILES     | accounts | id, storage_bytes_used, event_seq, turn_ticket, turn_done",
            "FTP_USERS | accounts | id, ftp_users_used, storage_bytes_used, event_seq, turn_ticket, turn_done",
            "FILES     | events   | account_id, seq, events_from",
            "FTP_USERS | events   | account_id, seq, events_from",
            "FILE_ACTIVITY | events | account_id, seq, events_from",
            "FILE_ACTIVITY | accounts | id, storage_bytes_used, event_seq, turn_ticket, turn_done",
            "SFTP_AUTH | ftp-users | account_id, sk, last_login_at, failed_logins, failures_since, locked_until",
            "WEBHOOK_DISPATCHER | webhooks | account_id, sk, consecutive_failures, failing_since, paused_until, "
                    + "trusted_until, probe_until, active, disabled_reason, updated_at"})
    void aFunctionUpdatesOnlyTheAttributesItOwns(LambdaFunction f, String table, String attributes) {
        TableSpec spec = Tables.ALL.stream().filter(t -> t.id().equals(table)).findFirst().orElseThrow();
        List<Map<String, Object>> updates = statements(f).stream()
                .filter(st -> actions(List.of(st)).contains("dynamodb:UpdateItem"))
                .filter(st -> resourceIds(List.of(st)).contains(tableId(spec))).toList();

        assertThat(updates).hasSize(1);
        assertThat(actions(updates)).containsOnly("dynamodb:UpdateItem");
        assertThat(updates.get(0).get("Condition")).isEqualTo(Map.of(
                "ForAllValues:StringEquals", Map.of("dynamodb:Attributes", List.of(attributes.split(", ", -1))),
                "StringEqualsIfExists", Map.of("dynamodb:ReturnValues", List.of("NONE", "UPDATED_OLD", "UPDATED_NEW"))));
    }

    @Test
    void webhookFunctionsReachOnlyTheTablesTheyNeed() {
        String webhooks = tableId(Tables.WEBHOOKS);
        String deliveries = tableId(Tables.WEBHOOK_DELIVERIES);
        assertThat(dynamoDb(LambdaFunction.WEBHOOK_DISPATCHER)).isEqualTo(Map.of(
                webhooks, Set.of("dynamodb:GetItem", "dynamodb:UpdateItem"), deliveries, Set.of("dynamodb:PutItem")));
        // The fan-out reads the events table's stream (its records only, no item), and queries webhooks.
        assertThat(dynamoDb(LambdaFunction.WEBHOOK_FANOUT)).isEqualTo(Map.of(webhooks, Set.of("dynamodb:Query"),
                tableId(Tables.EVENTS), Set.of("dynamodb:DescribeStream", "dynamodb:GetRecords",
                        "dynamodb:GetShardIterator"), "\"*\"", Set.of("dynamodb:ListStreams")));
        assertThat(dynamoDb(LambdaFunction.WEBHOOKS)).containsOnlyKeys(webhooks, deliveries,
                tableId(Tables.RATE_LIMITS), tableId(Tables.IDEMPOTENCY_KEYS));
        assertThat(dynamoDb(LambdaFunction.WEBHOOKS).get(deliveries)).containsOnly("dynamodb:GetItem", "dynamodb:Query");
        for (LambdaFunction f : List.of(LambdaFunction.WEBHOOKS, LambdaFunction.WEBHOOK_FANOUT,
                LambdaFunction.WEBHOOK_DISPATCHER)) {
            assertThat(permissions(f)).as(f.id()).containsKey("WebhookSecretsKey5C1E05FC")
                    .containsKey("WebhookDeliveriesQueueA79A9393");
            assertThat(permissions(f).get("WebhookDeliveriesQueueA79A9393")).as(f.id()).contains("sqs:SendMessage");
        }
        assertThat(environment(LambdaFunction.WEBHOOK_DISPATCHER))
                .containsEntry(Config.WEBHOOK_ALLOW_PRIVATE_TARGETS, "false");
    }

    @Test
    void theEventsStreamFeedsTheFanOutAndTheDeliveriesQueueTheDispatcher() {
        Map<String, Object> events = properties(resources(template, "AWS::DynamoDB::Table").get(tableId(Tables.EVENTS)));
        assertThat(at(events, "StreamSpecification", "StreamViewType")).isEqualTo("NEW_IMAGE");
        Map<String, Map<String, Object>> mappings = resources(template, "AWS::Lambda::EventSourceMapping");
        assertThat(mappings).hasSize(3);
        Map<String, Object> stream = mappings.values().stream().map(Stacks::properties)
                .filter(p -> p.containsKey("StartingPosition")).findFirst().orElseThrow();
        assertThat(referencedId(stream.get("FunctionName"))).isEqualTo(functionId(template,
                LambdaFunction.WEBHOOK_FANOUT.handler()));
        assertThat(referencedId(stream.get("EventSourceArn"))).isEqualTo(tableId(Tables.EVENTS));
        assertThat(stream).containsEntry("StartingPosition", "TRIM_HORIZON").containsEntry("BisectBatchOnFunctionError", true)
                .containsEntry("BatchSize", 100);
        assertThat(referencedId(at(stream, "DestinationConfig", "OnFailure", "Destination")))
                .isEqualTo("WebhookFanOutFailures18557B4B");
        assertThat(Json.write(at(stream, "FilterCriteria"))).contains("INSERT");

        Map<String, Object> queue = mappings.values().stream().map(Stacks::properties)
                .filter(p -> "WebhookDeliveriesQueueA79A9393".equals(referencedId(p.get("EventSourceArn"))))
                .findFirst().orElseThrow();
        assertThat(referencedId(queue.get("FunctionName"))).isEqualTo(functionId(template,
                LambdaFunction.WEBHOOK_DISPATCHER.handler()));
        assertThat(referencedId(queue.get("EventSourceArn"))).isEqualTo("WebhookDeliveriesQueueA79A9393");
        assertThat(queue).containsEntry("BatchSize", 10)
                .containsEntry("FunctionResponseTypes", List.of("ReportBatchItemFailures"));
        assertThat(at(queue, "ScalingConfig", "MaximumConcurrency")).isEqualTo(50);
    }

    @Test
    void everyQueueIsEncryptedTlsOnlyWithADeadLetterQueueAndAlarmsOnThemAndTheStreamsAge() {
        Map<String, Map<String, Object>> queues = resources(template, "AWS::SQS::Queue");
        assertThat(queues).hasSize(5);
        queues.forEach((id, q) -> assertThat(properties(q)).as(id).containsEntry("SqsManagedSseEnabled", true)
                .containsEntry("MessageRetentionPeriod", 1_209_600));
        Map<String, Object> deliveries = properties(queues.get("WebhookDeliveriesQueueA79A9393"));
        // At least six times the dispatcher's 60 s, as Lambda asks of a queue it consumes.
        assertThat(deliveries).containsEntry("VisibilityTimeout", 360);
        assertThat(at(deliveries, "RedrivePolicy", "maxReceiveCount")).isEqualTo(5);
        assertThat(referencedId(at(deliveries, "RedrivePolicy", "deadLetterTargetArn")))
                .isEqualTo("WebhookDeliveriesDeadLettersA6F18856");
        assertThat(Json.write(resources(template, "AWS::SQS::QueuePolicy"))).contains("aws:SecureTransport");
        Map<String, Map<String, Object>> alarms = resources(template, "AWS::CloudWatch::Alarm");
        assertThat(Json.write(alarms)).contains("WebhookDeliveriesDeadLettersA6F18856")
                .contains("WebhookFanOutFailures18557B4B").contains("FileChangesDeadLetters3FFF2FEF")
                .contains("IteratorAge");
        Map<String, Object> fileChanges = properties(queues.get("FileChangesQueueB5EF342F"));
        assertThat(fileChanges).containsEntry("VisibilityTimeout", 360);
        assertThat(referencedId(at(fileChanges, "RedrivePolicy", "deadLetterTargetArn")))
                .isEqualTo("FileChangesDeadLetters3FFF2FEF");
        Map<String, Object> key = properties(resources(template, "AWS::KMS::Key").get("WebhookSecretsKey5C1E05FC"));
        assertThat(key).containsEntry("EnableKeyRotation", true);
    }

    @Test
    void theFilesBucketKeepsVersionsForAWhileAndTellsEveryChangeToTheFileActivityFunction() {
        Map<String, Object> bucket = properties(resources(template, "AWS::S3::Bucket").get(bucketId()));
        assertThat(at(bucket, "VersioningConfiguration", "Status")).isEqualTo("Enabled");
        assertThat(Json.write(at(bucket, "LifecycleConfiguration", "Rules")))
                .contains("\"AbortIncompleteMultipartUpload\":{\"DaysAfterInitiation\":1}")
                .contains("\"NoncurrentVersionExpiration\":{\"NoncurrentDays\":30}")
                .contains("\"ExpiredObjectDeleteMarker\":true");
        Map<String, Object> notifications = properties(resources(template, "Custom::S3BucketNotifications").values()
                .iterator().next());
        assertThat(referencedId(notifications.get("BucketName"))).isEqualTo(bucketId());
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> configurations = (List<Map<String, Object>>) at(notifications,
                "NotificationConfiguration", "QueueConfigurations");
        assertThat(configurations).extracting(c -> c.get("Events")).containsExactlyInAnyOrder(
                List.of("s3:ObjectCreated:*"), List.of("s3:ObjectRemoved:*"));
        assertThat(configurations).allSatisfy(c -> assertThat(referencedId(c.get("QueueArn")))
                .isEqualTo("FileChangesQueueB5EF342F"));
        // S3 may send to the queue, for this bucket only.
        assertThat(Json.write(resources(template, "AWS::SQS::QueuePolicy"))).contains("s3.amazonaws.com")
                .contains("aws:SourceArn");

        Map<String, Object> mapping = resources(template, "AWS::Lambda::EventSourceMapping").values().stream()
                .map(Stacks::properties).filter(p -> "FileChangesQueueB5EF342F".equals(referencedId(p.get("EventSourceArn"))))
                .findFirst().orElseThrow();
        assertThat(referencedId(mapping.get("FunctionName"))).isEqualTo(functionId(template,
                LambdaFunction.FILE_ACTIVITY.handler()));
        assertThat(mapping).containsEntry("BatchSize", 100).containsEntry("MaximumBatchingWindowInSeconds", 1)
                .containsEntry("FunctionResponseTypes", List.of("ReportBatchItemFailures"));
        assertThat(at(mapping, "ScalingConfig", "MaximumConcurrency")).isEqualTo(5);
    }

    @Test
    void aKeptVersionsContextSetsHowLongOldVersionsStay() {
        Template sevenDays = Stacks.template(Map.of(TrueFtpStack.CONTEXT_KEPT_VERSIONS_DAYS, "7"));
        assertThat(Json.write(sevenDays.findResources("AWS::S3::Bucket")))
                .contains("\"NoncurrentVersionExpiration\":{\"NoncurrentDays\":7}");
    }

    @Test
    void fileActivityFunctionMeasuresObjectsAndWritesRecordsEventsAndTheCountOnly() {
        String bucket = bucketId();
        assertThat(permissions(LambdaFunction.FILE_ACTIVITY)).isEqualTo(Map.of(
                tableId(Tables.FILE_RECORDS), Set.of("dynamodb:BatchGetItem", "dynamodb:PutItem", "dynamodb:Query",
                        "dynamodb:DeleteItem", "dynamodb:BatchWriteItem"),
                tableId(Tables.ACCOUNTS), Set.of("dynamodb:GetItem", "dynamodb:UpdateItem"),
                tableId(Tables.EVENTS), Set.of("dynamodb:PutItem", "dynamodb:GetItem", "dynamodb:UpdateItem"),
                tableId(Tables.FTP_USERS), Set.of("dynamodb:GetItem"),
                "FileChangesQueueB5EF342F", Set.of("sqs:ReceiveMessage", "sqs:ChangeMessageVisibility",
                        "sqs:GetQueueUrl", "sqs:DeleteMessage", "sqs:GetQueueAttributes"),
                bucket, Set.of("s3:ListBucket"),
                bucket + "/*", Set.of("s3:GetObject")));
        // The API's principals, as S3 names them: the unique ids of the files and ftp-users functions' roles.
        String principals = Json.write(environment(LambdaFunction.FILE_ACTIVITY).get(Config.FILES_API_PRINCIPALS));
        assertThat(principals).contains("RoleId").contains(roleId(LambdaFunction.FILES))
                .contains(roleId(LambdaFunction.FTP_USERS));
    }

    @Test
    void sftpAuthFunctionReadsUsersAndAccountsAndWritesOnlyLoginsAndNoServerExistsByDefault() {
        assertThat(permissions(LambdaFunction.SFTP_AUTH)).isEqualTo(Map.of(
                tableId(Tables.FTP_USERS), Set.of("dynamodb:GetItem", "dynamodb:UpdateItem"),
                tableId(Tables.ACCOUNTS), Set.of("dynamodb:GetItem")));
        String sessionRole = template.getResourceId("AWS::IAM::Role", Map.of("Properties", Map.of("Description",
                "SFTP sessions; each narrowed to its user's home folder by a session policy")));
        assertThat(environment(LambdaFunction.SFTP_AUTH).get(Config.SFTP_SESSION_ROLE_ARN))
                .isEqualTo(Map.of("Fn::GetAtt", List.of(sessionRole, "Arn")));
        assertThat(referencedId(environment(LambdaFunction.SFTP_AUTH).get(Config.FILES_BUCKET))).isEqualTo(bucketId());
        // Exactly what SftpAuthHandlerIT wires the handler with (besides what Lambda itself sets).
        assertThat(environment(LambdaFunction.SFTP_AUTH)).containsOnlyKeys(Tables.FTP_USERS.nameVariable(),
                Tables.ACCOUNTS.nameVariable(), Config.FILES_BUCKET, Config.SFTP_SESSION_ROLE_ARN, "JAVA_TOOL_OPTIONS");
        // What SFTP sessions change is told apart by their role's id in S3's notifications.
        assertThat(environment(LambdaFunction.FILE_ACTIVITY).get(Config.SFTP_PRINCIPALS))
                .isEqualTo(Map.of("Fn::GetAtt", List.of(sessionRole, "RoleId")));
        // The server costs money by the hour: only with -c sftp=true.
        template.resourceCountIs("AWS::Transfer::Server", 0);
        assertThat(template.findOutputs(StackOutputs.SFTP_HOST)).isEmpty();
    }

    /** The DynamoDB actions of the function's role, by table. */
    private static Map<String, Set<String>> dynamoDb(LambdaFunction f) {
        Map<String, Set<String>> byTable = new TreeMap<>();
        permissions(f).forEach((resource, actions) -> {
            Set<String> dynamo = new HashSet<>(actions);
            dynamo.removeIf(a -> !a.startsWith("dynamodb:"));
            if (!dynamo.isEmpty()) {
                byTable.put(resource, dynamo);
            }
        });
        return byTable;
    }

    @Test
    void noFunctionWritesAnotherFunctionsTableUnconditionally() {
        // The files function reads FTP users and never writes them (it could overwrite password hashes).
        assertThat(permissions(LambdaFunction.FILES).get(tableId(Tables.FTP_USERS))).containsOnly("dynamodb:GetItem");
        for (LambdaFunction f : List.of(LambdaFunction.FILES, LambdaFunction.FTP_USERS)) {
            for (Map<String, Object> statement : statements(f)) {
                if (resourceIds(List.of(statement)).contains(tableId(Tables.ACCOUNTS))
                        && actions(List.of(statement)).contains("dynamodb:UpdateItem")) {
                    assertThat(statement).as(f.id()).containsKey("Condition");
                }
            }
        }
    }

    @Test
    void filesBucketIsPrivateEncryptedTlsOnlyAndOutlivesTheStack() {
        Map<String, Object> bucket = resources(template, "AWS::S3::Bucket").get(bucketId());
        assertThat(bucket).containsEntry("DeletionPolicy", "Retain");
        Map<String, Object> props = properties(bucket);
        assertThat(props.get("PublicAccessBlockConfiguration")).isEqualTo(Map.of("BlockPublicAcls", true,
                "BlockPublicPolicy", true, "IgnorePublicAcls", true, "RestrictPublicBuckets", true));
        assertThat(Json.write(props.get("BucketEncryption"))).contains("AES256");
        // A backstop: the API aborts an upload-URL's unfinished multipart upload once its URLs expire.
        assertThat(Json.write(props.get("LifecycleConfiguration")))
                .contains("\"AbortIncompleteMultipartUpload\":{\"DaysAfterInitiation\":1}");
        String policy = Json.write(resources(template, "AWS::S3::BucketPolicy").values());
        assertThat(policy).contains("\"aws:SecureTransport\":\"false\"").contains("\"Effect\":\"Deny\"");
        template.hasOutput(StackOutputs.FILES_BUCKET, Map.of("Value", Map.of("Ref", bucketId())));
    }

    @Test
    void eventsFunctionOnlyReadsEventsAndAccounts() {
        Map<String, Set<String>> byTable = new TreeMap<>();
        for (Map<String, Object> statement : statements(LambdaFunction.EVENTS)) {
            for (String table : resourceIds(List.of(statement))) {
                byTable.computeIfAbsent(table, t -> new HashSet<>()).addAll(actions(List.of(statement)));
            }
        }
        assertThat(byTable).isEqualTo(Map.of(
                tableId(Tables.EVENTS), Set.of("dynamodb:GetItem", "dynamodb:Query"),
                tableId(Tables.ACCOUNTS), Set.of("dynamodb:GetItem"),
                tableId(Tables.RATE_LIMITS), Set.of("dynamodb:UpdateItem")));
        template.hasResourceProperties("AWS::DynamoDB::Table", Match.objectLike(Map.of(
                "TimeToLiveSpecification", Map.of("AttributeName", "expires_at", "Enabled", true),
                "KeySchema", List.of(Map.of("AttributeName", "account_id", "KeyType", "HASH"),
                        Map.of("AttributeName", "seq", "KeyType", "RANGE")))));
    }

    @Test
    void theStageThrottlesEveryRequestBeforeTheAuthorizer() {
        template.hasResourceProperties("AWS::ApiGateway::Stage", Match.objectLike(Map.of("MethodSettings",
                Match.arrayWith(List.of(Match.objectLike(Map.of("HttpMethod", "*", "ResourcePath", "/*",
                        "ThrottlingRateLimit", Api.STAGE_THROTTLE_RATE,
                        "ThrottlingBurstLimit", Api.STAGE_THROTTLE_BURST)))))));
    }

    @Test
    void retryableGatewayAnswersSayWhenToRetry() {
        for (String type : List.of("THROTTLED", "QUOTA_EXCEEDED", "AUTHORIZER_FAILURE", "AUTHORIZER_CONFIGURATION_ERROR",
                "INTEGRATION_FAILURE")) {
            template.hasResourceProperties("AWS::ApiGateway::GatewayResponse", Match.objectLike(Map.of(
                    "ResponseType", type,
                    "ResponseParameters", Match.objectLike(Map.of("gatewayresponse.header.Retry-After", Match.anyValue())))));
        }
    }

    @Test
    void keysComeFromTheAuthorizerAndEveryMethodRequiresOneButOnPublicPaths() {
        template.hasResourceProperties("AWS::ApiGateway::RestApi", Map.of("ApiKeySourceType", "AUTHORIZER"));
        Map<String, Map<String, Object>> apiResources = resources(template, "AWS::ApiGateway::Resource");
        for (Map<String, Object> method : resources(template, "AWS::ApiGateway::Method").values()) {
            String path = path(referencedId(properties(method).get("ResourceId")), apiResources);
            if (publicPaths().contains(path)) {
                assertThat(properties(method)).as(path).doesNotContainKey("ApiKeyRequired");
            } else {
                assertThat(properties(method)).as(path).containsEntry("ApiKeyRequired", true);
            }
        }
    }

    @Test
    void eachPlanHasAUsagePlanWithItsThrottleAndADailyQuotaAboveItsHourlyLimits() {
        template.resourceCountIs("AWS::ApiGateway::UsagePlan", Plan.values().length);
        for (Plan plan : Plan.values()) {
            template.hasResourceProperties("AWS::ApiGateway::UsagePlan", Match.objectLike(Map.of(
                    "UsagePlanName", "trueftp-" + plan.id(),
                    "Throttle", Map.of("RateLimit", plan.throttleRatePerSecond(), "BurstLimit", plan.throttleBurst()),
                    "Quota", Map.of("Limit", plan.dailyQuota(), "Period", "DAY"),
                    "ApiStages", Match.anyValue())));
            assertThat(plan.throttleRatePerSecond() * 3600L).as("the throttle never undercuts the hourly limit")
                    .isGreaterThanOrEqualTo(plan.maxKeyRateLimit());
            assertThat(template.findOutputs(StackOutputs.usagePlanId(plan))).as(StackOutputs.usagePlanId(plan)).hasSize(1);
        }
    }

    @Test
    void authorizerCanOnlyReadApiKeysAndAccounts() {
        List<Map<String, Object>> statements = statements(LambdaFunction.AUTHORIZER);
        assertThat(actions(statements)).isSubsetOf(DYNAMODB_READS).isNotEmpty();
        assertThat(resourceIds(statements)).containsOnly(tableId(Tables.API_KEYS), tableId(Tables.ACCOUNTS));
    }

    @Test
    void functionRolesCarryOnlyTheBasicExecutionManagedPolicy() {
        for (LambdaFunction f : LambdaFunction.values()) {
            assertThat(Json.write(at(properties(resources(template, "AWS::IAM::Role").get(roleId(f))),
                    "ManagedPolicyArns"))).as(f.id())
                    .contains("service-role/AWSLambdaBasicExecutionRole")
                    .doesNotContain("DynamoDB").doesNotContain("Administrator");
        }
    }

    // ---- helpers ----

    /** The full paths of the public routes: served without a token, so without the authorizer or a key. */
    private static Set<String> publicPaths() {
        Set<String> paths = new HashSet<>();
        Routes.ALL.stream().filter(Route::isPublic).forEach(route -> paths.add(route.resource()));
        return paths;
    }

    private static List<MethodSpec> methods() {
        Map<String, Map<String, Object>> apiResources = resources(template, "AWS::ApiGateway::Resource");
        List<MethodSpec> methods = new ArrayList<>();
        for (Map<String, Object> method : resources(template, "AWS::ApiGateway::Method").values()) {
            Map<String, Object> props = properties(method);
            String uri = Json.write(at(props, "Integration", "Uri"));
            String function = resources(template, "AWS::Lambda::Function").keySet().stream()
                    .filter(id -> uri.contains("\"" + id + "\"")).findFirst().orElse(null);
            methods.add(new MethodSpec((String) props.get("HttpMethod"),
                    path(referencedId(props.get("ResourceId")), apiResources),
                    (String) props.get("AuthorizationType"), referencedId(props.get("AuthorizerId")),
                    (String) at(props, "Integration", "Type"), function));
        }
        return methods;
    }

    /** The full path of an API resource, from its PathPart and its parents'. */
    private static String path(String resourceId, Map<String, Map<String, Object>> apiResources) {
        Map<String, Object> resource = apiResources.get(resourceId);
        if (resource == null) {
            return ""; // the root resource: {"Fn::GetAtt": [api, "RootResourceId"]}
        }
        Map<String, Object> props = properties(resource);
        return path(referencedId(props.get("ParentId")), apiResources) + "/" + props.get("PathPart");
    }

    private static List<Map<String, Object>> keySchema(TableSpec.Key partitionKey, TableSpec.Key sortKey) {
        List<Map<String, Object>> schema = new ArrayList<>();
        schema.add(Map.of("AttributeName", partitionKey.name(), "KeyType", "HASH"));
        if (sortKey != null) {
            schema.add(Map.of("AttributeName", sortKey.name(), "KeyType", "RANGE"));
        }
        return schema;
    }

    private static List<TableSpec.Key> keys(TableSpec spec) {
        List<TableSpec.Key> keys = new ArrayList<>();
        keys.add(spec.partitionKey());
        if (spec.sortKey() != null) {
            keys.add(spec.sortKey());
        }
        for (TableSpec.Index index : spec.indexes()) {
            keys.add(index.partitionKey());
            if (index.sortKey() != null) {
                keys.add(index.sortKey());
            }
        }
        return keys;
    }

    private static String tableId(TableSpec spec) {
        return referencedId(at(template.findOutputs(StackOutputs.tableName(spec)).get(StackOutputs.tableName(spec)), "Value"));
    }

    private static Map<String, String> tableNames(TableSpec... specs) {
        Map<String, String> names = new TreeMap<>();
        for (TableSpec spec : specs) {
            names.put(spec.nameVariable(), tableId(spec));
        }
        return names;
    }

    /** The function's environment variables that name tables, with the table each one references. */
    private static Map<String, String> tableVariables(LambdaFunction f) {
        @SuppressWarnings("unchecked")
        Map<String, Object> variables = (Map<String, Object>) at(properties(resources(template,
                "AWS::Lambda::Function").get(functionId(template, f.handler()))), "Environment", "Variables");
        Map<String, String> tables = new TreeMap<>();
        variables.forEach((name, value) -> {
            if (name.endsWith("_TABLE")) {
                tables.put(name, referencedId(value));
            }
        });
        return tables;
    }

    private static String roleId(LambdaFunction f) {
        return referencedId(properties(resources(template, "AWS::Lambda::Function")
                .get(functionId(template, f.handler()))).get("Role"));
    }

    /** Every statement of every inline policy attached to the function's role. */
    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> statements(LambdaFunction f) {
        String role = roleId(f);
        List<Map<String, Object>> statements = new ArrayList<>();
        for (Map<String, Object> policy : resources(template, "AWS::IAM::Policy").values()) {
            List<Object> roles = (List<Object>) properties(policy).get("Roles");
            if (roles.stream().anyMatch(r -> role.equals(referencedId(r)))) {
                statements.addAll((List<Map<String, Object>>) at(properties(policy), "PolicyDocument", "Statement"));
            }
        }
        assertThat(statements).as(f.id() + " statements").isNotEmpty();
        return statements;
    }

    private static Set<String> actions(List<Map<String, Object>> statements) {
        Set<String> actions = new HashSet<>();
        for (Map<String, Object> statement : statements) {
            assertThat(statement).containsEntry("Effect", "Allow");
            Object action = statement.get("Action");
            if (action instanceof List<?> list) {
                list.forEach(a -> actions.add(a.toString()));
            } else {
                actions.add(action.toString());
            }
        }
        return actions;
    }

    private static String bucketId() {
        return template.getResourceId("AWS::S3::Bucket");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> environment(LambdaFunction f) {
        return (Map<String, Object>) at(properties(resources(template, "AWS::Lambda::Function")
                .get(functionId(template, f.handler()))), "Environment", "Variables");
    }

    /** What the function's role may do, by resource (logical id; a bucket's objects as "id/*"). */
    private static Map<String, Set<String>> permissions(LambdaFunction f) {
        Map<String, Set<String>> byResource = new TreeMap<>();
        for (Map<String, Object> statement : statements(f)) {
            for (String resource : resourceIds(List.of(statement))) {
                byResource.computeIfAbsent(resource, r -> new HashSet<>()).addAll(actions(List.of(statement)));
            }
        }
        return byResource;
    }

    /**
     * The logical ids the statements' resources reference (a bucket's objects, {"Fn::Join": ["", [bucket ARN,
     * "/*"]]}, as "id/*"); a literal resource (such as "*") is kept as is.
     */
    private static Set<String> resourceIds(List<Map<String, Object>> statements) {
        Set<String> ids = new HashSet<>();
        for (Map<String, Object> statement : statements) {
            Object resource = statement.get("Resource");
            for (Object r : resource instanceof List<?> list ? list : List.of(resource)) {
                String id = referencedId(r);
                ids.add(id != null ? id : objectsOf(r).orElse(Json.write(r)));
            }
        }
        return ids;
    }

    @SuppressWarnings("unchecked")
    private static java.util.Optional<String> objectsOf(Object resource) {
        if (resource instanceof Map<?, ?> map && map.get("Fn::Join") instanceof List<?> join
                && join.get(1) instanceof List<?> parts && parts.size() == 2 && "/*".equals(parts.get(1))) {
            return java.util.Optional.ofNullable(referencedId(parts.get(0))).map(id -> id + "/*");
        }
        return java.util.Optional.empty();
    }
}
