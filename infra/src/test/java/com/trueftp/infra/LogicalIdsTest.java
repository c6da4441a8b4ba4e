package com.trueftp.infra;

import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Template;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static com.trueftp.infra.Stacks.at;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The logical ids of the deployed stack's lasting resources, written out. CloudFormation knows a resource by
 * its logical id: a changed id is a new resource, created beside the old one, which is then deleted or, if
 * retained, orphaned. A table or the bucket would be left behind for a new empty one, a new secret would void
 * every list cursor, a new RestApi or stage would change the customers' base URL and new usage plans would
 * detach every customer's API key. Refactor freely, but keep these ids; change one only with a migration.
 * (The Deployment's id is left out: CDK derives it from the API's content so that each change is redeployed.)
 */
class LogicalIdsTest {
    private static final String API = "ApiF70053CD";
    private static final String STAGE = "ApiDeploymentStageprod3EB9684E";

    private static final Map<String, String> RESOURCES = Map.ofEntries(
            Map.entry("AccountsTable81C15AE5", "AWS::DynamoDB::Table"),
            Map.entry("ApiKeysTable9F4DC7E7", "AWS::DynamoDB::Table"),
            Map.entry("RateLimitsTable24B09F2E", "AWS::DynamoDB::Table"),
            Map.entry("FtpUsersTable5688CDA0", "AWS::DynamoDB::Table"),
            Map.entry("EventsTableD24865E5", "AWS::DynamoDB::Table"),
            Map.entry("FileRecordsTableF14C1654", "AWS::DynamoDB::Table"),
            Map.entry("IdempotencyKeysTable1BD41BDB", "AWS::DynamoDB::Table"),
            Map.entry("WebhooksTableE7B45B0B", "AWS::DynamoDB::Table"),
            Map.entry("WebhookDeliveriesTableB94F06B5", "AWS::DynamoDB::Table"),
            // The webhooks' secrets are unreadable without their key; queued deliveries live in the queues.
            Map.entry("WebhookSecretsKey5C1E05FC", "AWS::KMS::Key"),
            Map.entry("WebhookDeliveriesQueueA79A9393", "AWS::SQS::Queue"),
            Map.entry("WebhookDeliveriesDeadLettersA6F18856", "AWS::SQS::Queue"),
            Map.entry("WebhookFanOutFailures18557B4B", "AWS::SQS::Queue"),
            // S3's notifications not yet recorded: a new queue would lose them.
            Map.entry("FileChangesQueueB5EF342F", "AWS::SQS::Queue"),
            Map.entry("FileChangesDeadLetters3FFF2FEF", "AWS::SQS::Queue"),
            Map.entry("FilesBucket16450113", "AWS::S3::Bucket"),
            Map.entry("CursorSecretABAE1358", "AWS::SecretsManager::Secret"),
            Map.entry(API, "AWS::ApiGateway::RestApi"),
            Map.entry(STAGE, "AWS::ApiGateway::Stage"),
            Map.entry("ApiFreeUsagePlan334639DC", "AWS::ApiGateway::UsagePlan"),
            Map.entry("ApiProUsagePlan931FD00C", "AWS::ApiGateway::UsagePlan"),
            Map.entry("ApiBusinessUsagePlanACAEAA9B", "AWS::ApiGateway::UsagePlan"));

    private static final Map<String, String> CUSTOM_DOMAIN_RESOURCES = Map.of(
            "ApiCustomDomain249F3BF3", "AWS::ApiGateway::DomainName",
            "ApiCustomDomainMapTrueFtpApi4BFB1152A40BC3F9", "AWS::ApiGateway::BasePathMapping");

    /** Each output (the admin CLI reads them by name) and the logical ids its value references. */
    private static final Map<String, Set<String>> OUTPUTS = Map.ofEntries(
            Map.entry("AccountsTableName", Set.of("AccountsTable81C15AE5")),
            Map.entry("ApiKeysTableName", Set.of("ApiKeysTable9F4DC7E7")),
            Map.entry("RateLimitsTableName", Set.of("RateLimitsTable24B09F2E")),
            Map.entry("FtpUsersTableName", Set.of("FtpUsersTable5688CDA0")),
            Map.entry("EventsTableName", Set.of("EventsTableD24865E5")),
            Map.entry("FileRecordsTableName", Set.of("FileRecordsTableF14C1654")),
            Map.entry("IdempotencyKeysTableName", Set.of("IdempotencyKeysTable1BD41BDB")),
            Map.entry("WebhooksTableName", Set.of("WebhooksTableE7B45B0B")),
            Map.entry("WebhookDeliveriesTableName", Set.of("WebhookDeliveriesTableB94F06B5")),
            Map.entry("FilesBucketName", Set.of("FilesBucket16450113")),
            Map.entry("FreeUsagePlanId", Set.of("ApiFreeUsagePlan334639DC")),
            Map.entry("ProUsagePlanId", Set.of("ApiProUsagePlan931FD00C")),
            Map.entry("BusinessUsagePlanId", Set.of("ApiBusinessUsagePlanACAEAA9B")),
            Map.entry("ApiUrl", Set.of(API, STAGE)),
            Map.entry("ApiEndpoint4F160690", Set.of(API, STAGE)));

    @Test
    void lastingResourcesKeepTheirLogicalIds() {
        assertResources(Stacks.template(), RESOURCES);
    }

    @Test
    void theCustomDomainAndItsMappingKeepTheirLogicalIds() {
        Template template = Stacks.template(Map.of(
                TrueFtpStack.CONTEXT_DOMAIN_NAME, "api.example.com",
                TrueFtpStack.CONTEXT_CERTIFICATE_ARN, "arn:aws:acm:eu-west-1:123456789012:certificate/abc"));
        assertResources(template, RESOURCES);
        assertResources(template, CUSTOM_DOMAIN_RESOURCES);
        assertThat(references(at(template.toJSON(), "Resources", "ApiCustomDomainMapTrueFtpApi4BFB1152A40BC3F9",
                "Properties"))).containsExactlyInAnyOrder(API, STAGE, "ApiCustomDomain249F3BF3");
    }

    @Test
    void outputsKeepTheirNamesAndStillNameTheSameResources() {
        Map<String, Map<String, Object>> outputs = Stacks.template().findOutputs("*");
        assertThat(outputs.keySet()).containsExactlyInAnyOrderElementsOf(OUTPUTS.keySet());
        OUTPUTS.forEach((name, ids) -> assertThat(references(at(outputs, name, "Value"))).as(name)
                .containsExactlyInAnyOrderElementsOf(ids));
    }

    /** Fails listing every expected id that is missing or of another type. */
    private static void assertResources(Template template, Map<String, String> expected) {
        @SuppressWarnings("unchecked")
        Map<String, Object> resources = (Map<String, Object>) template.toJSON().get("Resources");
        Map<String, Object> types = new TreeMap<>();
        resources.forEach((id, resource) -> types.put(id, at(resource, "Type")));
        assertThat(types).containsAllEntriesOf(expected);
    }

    /** The logical ids a template value references through Ref or Fn::GetAtt (pseudo parameters left out). */
    private static Set<String> references(Object value) {
        Set<String> ids = new TreeSet<>();
        if (value instanceof Map<?, ?> map) {
            String id = Stacks.referencedId(map);
            if (id != null && !id.startsWith("AWS::")) {
                ids.add(id);
            }
            map.values().forEach(v -> ids.addAll(references(v)));
        } else if (value instanceof List<?> list) {
            list.forEach(v -> ids.addAll(references(v)));
        }
        return ids;
    }
}
