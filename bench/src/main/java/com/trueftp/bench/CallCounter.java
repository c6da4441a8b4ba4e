package com.trueftp.bench;

import com.trueftp.aws.AwsModule;
import com.trueftp.core.Config;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

import java.util.concurrent.atomic.AtomicLong;

/** Counts the calls of the SDK clients it is added to, and the DynamoDB items their answers carry. */
final class CallCounter implements ExecutionInterceptor {
    private final AtomicLong calls = new AtomicLong();
    private final AtomicLong itemsRead = new AtomicLong();

    /** The functions' DynamoDB client setup, counted. */
    DynamoDbClient dynamoDb(Config config) {
        return AwsModule.dynamoDbBuilder(config)
                .overrideConfiguration(AwsModule.overrides().toBuilder().addExecutionInterceptor(this).build())
                .build();
    }

    long calls() {
        return calls.get();
    }

    long itemsRead() {
        return itemsRead.get();
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        calls.incrementAndGet(); // every call made, whatever its answer
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        SdkResponse response = context.response();
        if (response instanceof QueryResponse query) {
            itemsRead.addAndGet(query.count());
        } else if (response instanceof GetItemResponse get && get.hasItem() && !get.item().isEmpty()) {
            itemsRead.incrementAndGet();
        }
    }
}
