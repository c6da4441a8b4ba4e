package com.trueftp.admin;

import com.trueftp.account.Plan;
import com.trueftp.auth.ApiKey;
import software.amazon.awssdk.services.apigateway.ApiGatewayClient;
import software.amazon.awssdk.services.apigateway.model.ConflictException;
import software.amazon.awssdk.services.apigateway.model.NotFoundException;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The deployed stack's usage plans: every key gets an API Gateway API key named after its id, whose
 * value is the key's usage key, attached to the usage plan of the account's plan.
 */
final class ApiGatewayEdgeKeys implements EdgeKeys {
    private final ApiGatewayClient apiGateway;
    private final Map<Plan, String> usagePlanIds;

    ApiGatewayEdgeKeys(ApiGatewayClient apiGateway, Map<Plan, String> usagePlanIds) {
        this.apiGateway = apiGateway;
        this.usagePlanIds = Map.copyOf(usagePlanIds);
    }

    @Override
    public void register(ApiKey key, Plan plan) {
        String id = apiGateway.createApiKey(b -> b.name(key.id()).value(key.usageKey()).enabled(true)
                .description("TrueFTP key of account " + key.accountId())).id();
        try {
            apiGateway.createUsagePlanKey(b -> b.usagePlanId(usagePlanIds.get(plan)).keyId(id).keyType("API_KEY"));
        } catch (RuntimeException e) {
            apiGateway.deleteApiKey(b -> b.apiKey(id)); // no orphan API key outside every plan
            throw e;
        }
    }

    @Override
    public void remove(ApiKey key) {
        find(key).ifPresent(id -> apiGateway.deleteApiKey(b -> b.apiKey(id)));
    }

    /** Idempotent: run again after a partial failure, it finishes the job. */
    @Override
    public void moveAll(List<ApiKey> keys, Plan to) {
        for (ApiKey key : keys) {
            Optional<String> id = find(key);
            if (id.isEmpty()) {
                continue; // revoked keys have no API key any more
            }
            for (Plan other : Plan.values()) {
                if (other != to) {
                    try {
                        apiGateway.deleteUsagePlanKey(b -> b.usagePlanId(usagePlanIds.get(other)).keyId(id.get()));
                    } catch (NotFoundException notThere) {
                        // not in that plan: nothing to undo
                    }
                }
            }
            try {
                apiGateway.createUsagePlanKey(b -> b.usagePlanId(usagePlanIds.get(to)).keyId(id.get()).keyType("API_KEY"));
            } catch (ConflictException alreadyThere) {
                // in the right plan already
            }
        }
    }

    private Optional<String> find(ApiKey key) {
        return apiGateway.getApiKeys(b -> b.nameQuery(key.id()).limit(500)).items().stream()
                .filter(k -> k.name().equals(key.id())).map(k -> k.id()).findFirst();
    }
}
