package com.trueftp.emulators;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;

/**
 * The AWS-API emulators, started together: dynalite (DynamoDB), S3Mock (S3, with one bucket) behind
 * {@link S3Front}, and ElasticMQ (SQS, see {@link ElasticMq}). SQS queues and their messages live in memory only,
 * even with a data directory: a restart of the local runtime loses them (tables and objects survive). They know
 * nothing of TrueFTP's tables, queues or settings: whoever starts them provisions the tables and queues and
 * configures the handlers.
 */
public final class Emulators implements AutoCloseable {
    private final Dynalite dynalite;
    private final S3Emulator s3;
    private final S3Front s3Front;
    private final ElasticMq sqs;

    private Emulators(Dynalite dynalite, S3Emulator s3, S3Front s3Front, ElasticMq sqs) {
        this.dynalite = dynalite;
        this.s3 = s3;
        this.s3Front = s3Front;
        this.sqs = sqs;
    }

    /**
     * @param dynamoPort 0 for any free port
     * @param dataDir    null keeps everything in memory (objects in a temporary directory); SQS is in memory anyway
     * @param bucket     the bucket S3Mock creates at start
     */
    public static Emulators start(int dynamoPort, Path dataDir, String bucket) throws IOException {
        // S3Mock and ElasticMQ take seconds to start: they start while dynalite starts, each on its own thread
        // (the common pool may have a single one).
        CompletableFuture<S3Emulator> s3 = CompletableFuture.supplyAsync(() -> {
            try {
                return S3Emulator.start(dataDir == null ? null : dataDir.resolve("s3"), bucket);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, Emulators::onOwnThread);
        CompletableFuture<ElasticMq> sqs = CompletableFuture.supplyAsync(() -> {
            try {
                return ElasticMq.start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, Emulators::onOwnThread);
        Dynalite dynalite;
        try {
            dynalite = Dynalite.start(dynamoPort, dataDir == null ? null : dataDir.resolve("dynamodb"));
        } catch (IOException | RuntimeException e) {
            closeWhenStarted(s3);
            closeWhenStarted(sqs);
            throw e;
        }
        S3Emulator s3Emulator;
        try {
            s3Emulator = s3.join();
        } catch (RuntimeException e) {
            dynalite.close();
            closeWhenStarted(sqs);
            throw e;
        }
        ElasticMq elasticMq;
        try {
            elasticMq = sqs.join();
        } catch (RuntimeException e) {
            dynalite.close();
            s3Emulator.close();
            throw e;
        }
        try {
            return new Emulators(dynalite, s3Emulator, S3Front.start(s3Emulator.endpoint()), elasticMq);
        } catch (IOException | RuntimeException e) {
            dynalite.close();
            s3Emulator.close();
            elasticMq.close();
            throw e;
        }
    }

    private static void onOwnThread(Runnable task) {
        Thread thread = new Thread(task, "emulator-start");
        thread.setDaemon(true);
        thread.start();
    }

    /** Nothing waits for this: the caller is already failing, and the emulator stops once it has started. */
    @SuppressWarnings("FutureReturnValueIgnored")
    private static <T extends AutoCloseable> void closeWhenStarted(CompletableFuture<T> emulator) {
        emulator.thenAccept(started -> {
            try {
                started.close();
            } catch (Exception e) {
                // the caller is failing already, for a better reason
            }
        });
    }

    public String dynamoEndpoint() {
        return dynalite.endpoint();
    }

    /** The S3 endpoint every client uses: the front that makes the emulator's conditional requests atomic. */
    public String s3Endpoint() {
        return s3Front.endpoint();
    }

    /** The SQS endpoint (ElasticMQ); the queue URLs it hands out name it too. */
    public String sqsEndpoint() {
        return sqs.endpoint();
    }

    /**
     * Sends S3's event notifications of the changes to objects (PUT, copy, completed multipart upload, delete,
     * each object of a DeleteObjects) to this queue of the SQS emulator from now on, in S3's JSON shape.
     */
    public void notifyS3ChangesTo(String queueUrl) {
        s3Front.notifyTo(queueUrl);
    }

    /** Failures on demand, for the tests that prove the stack answers 503 in bounded time and recovers. */
    public Faults faults() {
        return new Faults();
    }

    /** What can go wrong with the emulated AWS, one switch each. */
    public final class Faults {
        private Faults() {
        }

        /** DynamoDB accepts connections and answers nothing (a stalled dependency), or answers again. */
        public void freezeDynamoDb(boolean frozen) {
            dynalite.freeze(frozen);
        }

        /** S3 holds every request unanswered, or lets them through. */
        public void freezeS3(boolean frozen) {
            s3Front.freeze(frozen);
        }

        /** S3 refuses connections (down), or listens again on the same port. */
        public void stopS3(boolean stopped) throws IOException {
            s3Front.listen(!stopped);
        }
    }

    @Override
    public void close() {
        try {
            dynalite.close();
        } finally {
            try {
                s3Front.close();
                s3.close();
            } finally {
                sqs.close();
            }
        }
    }
}
