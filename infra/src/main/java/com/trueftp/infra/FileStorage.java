package com.trueftp.infra;

import com.trueftp.stack.StackOutputs;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.s3.BlockPublicAccess;
import software.amazon.awscdk.services.s3.Bucket;
import software.amazon.awscdk.services.s3.BucketEncryption;
import software.amazon.awscdk.services.s3.EventType;
import software.amazon.awscdk.services.s3.LifecycleRule;
import software.amazon.awscdk.services.s3.ObjectOwnership;
import software.amazon.awscdk.services.s3.notifications.SqsDestination;
import software.amazon.awscdk.services.secretsmanager.Secret;
import software.amazon.awscdk.services.secretsmanager.SecretStringGenerator;
import software.amazon.awscdk.services.sqs.Queue;

import java.util.List;

/** The files bucket and the key that signs its list cursors. */
final class FileStorage {
    private final Bucket bucket;
    private final Secret cursorSecret;

    /**
     * Builds into the stack's own scope: see {@link TrueFtpStack}.
     *
     * @param keptVersionsDays how long a replaced or deleted file's old version is kept (an operator can restore it)
     */
    FileStorage(Stack stack, long keptVersionsDays) {
        bucket = createBucket(stack, keptVersionsDays);
        cursorSecret = createCursorSecret(stack);
    }

    /**
     * Every object change (created: put, copy, multipart; removed: delete, delete marker) to the queue of the
     * file-activity function. CDK sets this with a custom resource, which replaces the bucket's whole
     * notification configuration: notifications set outside the stack do not survive a deploy.
     */
    void notifyChangesTo(Queue queue) {
        bucket.addEventNotification(EventType.OBJECT_CREATED, new SqsDestination(queue));
        bucket.addEventNotification(EventType.OBJECT_REMOVED, new SqsDestination(queue));
    }

    Bucket bucket() {
        return bucket;
    }

    Secret cursorSecret() {
        return cursorSecret;
    }

    /**
     * Every FTP user's files, under {@code <account id>/<ftp user id>/}; reached only through the functions.
     * Versioned: every change has a version id (what makes each change one event), and a deleted or replaced
     * file can be restored until its old version expires.
     */
    private static Bucket createBucket(Stack stack, long keptVersionsDays) {
        Bucket bucket = Bucket.Builder.create(stack, "FilesBucket")
                .blockPublicAccess(BlockPublicAccess.BLOCK_ALL)
                .objectOwnership(ObjectOwnership.BUCKET_OWNER_ENFORCED)
                .encryption(BucketEncryption.S3_MANAGED)
                .enforceSsl(true)
                .versioned(true)
                .lifecycleRules(List.of(LifecycleRule.builder()
                                .id("AbortIncompleteUploads")
                                .abortIncompleteMultipartUploadAfter(Duration.days(1))
                                .build(),
                        LifecycleRule.builder()
                                .id("ExpireOldVersions")
                                .noncurrentVersionExpiration(Duration.days(keptVersionsDays))
                                .build(),
                        // A rule of its own: S3 refuses it beside an expiration of current versions.
                        LifecycleRule.builder()
                                .id("RemoveLoneDeleteMarkers")
                                .expiredObjectDeleteMarker(true)
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
