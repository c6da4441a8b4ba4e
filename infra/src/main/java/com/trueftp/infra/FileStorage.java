package com.trueftp.infra;

import com.trueftp.stack.StackOutputs;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.s3.BlockPublicAccess;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.BucketEncryption;
import software.amazon.awscdk.services.s3.LifecycleRule;
import software.amazon.awscdk.services.s3.ObjectOwnership;
import software.amazon.awscdk.services.secretsmanager.Secret;
import software.amazon.awscdk.services.secretsmanager.SecretStringGenerator;

import java.util.List;

/** The files bucket and the key that signs its list cursors. */
final class FileStorage {
    private final Bucket bucket;
    private final Secret cursorSecret;

    /** Builds into the stack's own scope: see {@link TrueFtpStack}. */
    FileStorage(Stack stack) {
        bucket = createBucket(stack);
        cursorSecret = createCursorSecret(stack);
    }

    Bucket bucket() {
        return bucket;
    }

    Secret cursorSecret() {
        return cursorSecret;
    }

    /** Every FTP user's files, under {@code <account id>/<ftp user id>/}; reached only through the functions. */
    private static Bucket createBucket(Stack stack) {
        Bucket bucket = Bucket.Builder.create(stack, "FilesBucket")
                .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
                .objectOwnership(ObjectOwnership.BUCKET_OWNER_ENFORCED)
                .encryption(BucketEncryption.S3_MANAGED)
                .enforceSsl(true)
                .lifecycleRules(List.of(LifecycleRule.builder()
                        .id("AbortIncompleteUploads")
                        .abortIncompleteMultipartUploadAfter(Duration.days(1))
                        .build()))
                // Customer data: deleting the stack must not delete it.
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();
        CfnOutput.Builder.create(stack, StackOutputs.FILES_BUCKET)
                .description("S3 bucket of the FTP users' files")
                .value(bucket.getBucketName())
                .build();
        return bucket;
    }

    /** Generated once, never in the template or the repository. */
    private static Secret createCursorSecret(Stack stack) {
        return Secret.Builder.create(stack, "CursorSecret")
                .description("Signs the files list cursors of the TrueFTP API")
                .generateSecretString(SecretStringGenerator.builder()
                        .passwordLength(64)
                        .excludePunctuation(true)
                        .build())
                .build();
    }
}
