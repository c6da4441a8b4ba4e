package com.trueftp.admin;

import com.trueftp.account.AccountRepository;
import com.trueftp.account.Plan;
import com.trueftp.auth.ApiKeyRepository;
import com.trueftp.aws.AwsModule;
import com.trueftp.aws.TableSpec;
import com.trueftp.aws.Tables;
import com.trueftp.core.Config;
import com.trueftp.stack.LocalStackFile;
import com.trueftp.stack.StackOutputs;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.apigateway.ApiGatewayClient;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.CloudFormationException;
import software.amazon.awssdk.services.cloudformation.model.Output;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.nio.file.Path;
import java.time.Clock;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;

/**
 * Where admin commands act: the running local stack (its data directory says where its emulators
 * listen) or a deployed stack (its CloudFormation outputs name the tables and usage plans; the default
 * AWS credential chain signs the calls).
 */
record AdminTarget(Config config, DynamoDbClient dynamo, EdgeKeys edge, Clock clock) implements AutoCloseable {
    /** The deployed stack named {@code stackName}, or else the local stack running on {@code dataDir}. */
    static AdminTarget open(Path dataDir, String stackName) {
        return stackName != null ? stack(stackName) : local(dataDir);
    }

    private static AdminTarget local(Path dataDir) {
        LocalStackFile stack = LocalStackFile.readRunning(dataDir).orElseThrow(() -> new AdminException(
                "no local stack is running for " + dataDir.toAbsolutePath() + ": start it with ./trueftp local"
                        + (dataDir.equals(AdminCli.DEFAULT_DATA) ? "" : " --data " + dataDir)));
        Config config = Config.of(stack.settings());
        return new AdminTarget(config, AwsModule.dynamoDbBuilder(config).build(), EdgeKeys.LOCAL, Clock.systemUTC());
    }

    private static AdminTarget stack(String stackName) {
        Map<String, String> outputs = new HashMap<>();
        try (CloudFormationClient cloudFormation = CloudFormationClient.builder()
                .httpClient(UrlConnectionHttpClient.create()).build()) {
            for (Output o : cloudFormation.describeStacks(b -> b.stackName(stackName)).stacks().get(0).outputs()) {
                outputs.put(o.outputKey(), o.outputValue());
            }
        } catch (CloudFormationException e) {
            throw new AdminException("cannot read stack " + stackName + ": " + e.awsErrorDetails().errorMessage());
        }
        Map<String, String> settings = new HashMap<>();
        for (TableSpec table : Tables.ALL) {
            settings.put(table.nameVariable(), required(outputs, StackOutputs.tableName(table), stackName));
        }
        Map<Plan, String> usagePlans = new EnumMap<>(Plan.class);
        for (Plan plan : Plan.values()) {
            usagePlans.put(plan, required(outputs, StackOutputs.usagePlanId(plan), stackName));
        }
        DynamoDbClient dynamo = DynamoDbClient.builder().httpClient(UrlConnectionHttpClient.create()).build();
        ApiGatewayClient apiGateway = ApiGatewayClient.builder().httpClient(UrlConnectionHttpClient.create()).build();
        return new AdminTarget(Config.of(settings), dynamo, new ApiGatewayEdgeKeys(apiGateway, usagePlans), Clock.systemUTC());
    }

    AccountRepository accounts() {
        return new AccountRepository(dynamo, config, clock);
    }

    ApiKeyRepository keys() {
        return new ApiKeyRepository(dynamo, config, clock);
    }

    private static String required(Map<String, String> outputs, String key, String stackName) {
        String value = outputs.get(key);
        if (value == null) {
            throw new AdminException("stack " + stackName + " has no output " + key + ": is it a TrueFTP stack?");
        }
        return value;
    }

    @Override
    public void close() {
        dynamo.close();
    }
}
