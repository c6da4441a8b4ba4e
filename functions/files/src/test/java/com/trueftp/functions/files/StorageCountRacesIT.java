package com.trueftp.functions.files;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.trueftp.account.Plan;
import com.trueftp.core.Config;
import com.trueftp.ftpuser.FtpUserRepository;
import com.trueftp.testing.AwsUnderTest;
import com.trueftp.testing.Multipart;
import com.trueftp.testing.SampleEvents;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Requests racing on the same files, through the files function on the emulators (whose S3 front applies
 * conditional writes atomically, as S3 does). Whatever the race, once it is over and S3's notifications of it
 * are recorded (as the file-activity function records them), the account's storage count equals the bytes S3
 * holds for it: no race buys quota or loses count.
 */
class StorageCountRacesIT {
    private static final int RACERS = 20;
    private static final int MIB = 1024 * 1024;

    private final AwsUnderTest aws = AwsUnderTest.emulators();
    private FilesHandler handler;
    private String account;
    private String user;

    @BeforeEach
    void setUp() {
        handler = new FilesHandler(DaggerFilesComponent.factory().create(aws.config()));
        account = aws.accounts().create("Racer", Plan.BUSINESS).id();
        user = aws.ftpUsers().create(account, new FtpUserRepository.NewUser("racer", "$argon2id$test", true, true,
                "/", null), 25).id();
    }

    @Test
    void identicalUploadsToANewPathCountTheFileOnce() throws Exception {
        List<Integer> statuses = race(i -> () -> upload("/same.bin", new byte[64 * 1024]));

        assertThat(statuses).contains(201).allMatch(s -> s == 201 || s == 409);
        assertThat(used()).isEqualTo(64 * 1024).isEqualTo(heldInS3());
    }

    @Test
    void shrinkingAFileToTheSameByteAtOnceReleasesItsSizeOnce() throws Exception {
        assertThat(upload("/big.bin", new byte[MIB])).isEqualTo(201);

        List<Integer> statuses = race(i -> () -> upload("/big.bin", new byte[]{1}));

        assertThat(statuses).contains(201).allMatch(s -> s == 201 || s == 409);
        assertThat(used()).isEqualTo(1).isEqualTo(heldInS3());
    }

    @Test
    void roundsOfGrowingThenShrinkingAtOnceBuyNoQuota() throws Exception {
        assertThat(upload("/kept.bin", new byte[2 * MIB])).isEqualTo(201);
        for (int round = 0; round < 3; round++) {
            assertThat(upload("/cycle.bin", new byte[MIB])).isIn(201, 409);
            race(i -> () -> upload("/cycle.bin", new byte[]{7}));
            assertThat(used()).as("round %d", round).isEqualTo(heldInS3());
        }
        assertThat(used()).isEqualTo(2L * MIB + 1);
    }

    @Test
    void uploadsOfDifferentSizesCountWhicheverLandedLast() throws Exception {
        List<Integer> statuses = race(i -> () -> upload("/many.bin", new byte[1000 + i]));

        assertThat(statuses).contains(201).allMatch(s -> s == 201 || s == 409);
        assertThat(used()).isEqualTo(heldInS3()).isBetween(1000L, 1000L + RACERS);
    }

    @Test
    void uploadsAndDeletesOfOneFileLeaveTheCountExact() throws Exception {
        assertThat(upload("/churn.bin", new byte[5000])).isEqualTo(201);

        List<Integer> statuses = race(i -> i % 2 == 0
                ? () -> upload("/churn.bin", new byte[100 * (i + 1)])
                : () -> delete("/churn.bin"));

        assertThat(statuses).allMatch(s -> s == 201 || s == 204 || s == 404 || s == 409);
        assertThat(used()).isEqualTo(heldInS3());
    }

    @Test
    void deletesOfOneFileReleaseItsBytesOnce() throws Exception {
        assertThat(upload("/kept.bin", new byte[3000])).isEqualTo(201);
        assertThat(upload("/gone.bin", new byte[MIB])).isEqualTo(201);

        List<Integer> statuses = race(i -> () -> delete("/gone.bin"));

        assertThat(statuses).containsOnlyOnce(204).allMatch(s -> s == 204 || s == 404 || s == 409);
        assertThat(used()).isEqualTo(3000).isEqualTo(heldInS3());
    }

    @Test
    void folderDeletesRacingUploadsIntoTheFolderLeaveTheCountExact() throws Exception {
        for (int i = 0; i < 10; i++) {
            assertThat(upload("/dir/f" + i, new byte[1000])).isEqualTo(201);
        }

        List<Integer> statuses = race(i -> i % 4 == 0
                ? () -> delete("/dir/")
                : () -> upload("/dir/f" + (i % 10), new byte[2000 + i]));

        assertThat(statuses).allMatch(s -> s == 201 || s == 204 || s == 404 || s == 409);
        assertThat(used()).isEqualTo(heldInS3());
    }

    // ---- requests ----

    private int upload(String path, byte[] content) {
        APIGatewayProxyRequestEvent event = SampleEvents.request("files/upload-file.json", account);
        event.setPathParameters(Map.of("id", user));
        event.setQueryStringParameters(Map.of("path", path));
        event.setBody(Base64.getEncoder().encodeToString(Multipart.body("file", "x.bin", content)));
        return status(handler.handleRequest(event, null));
    }

    private int delete(String path) {
        APIGatewayProxyRequestEvent event = SampleEvents.request("files/delete-file.json", account);
        event.setPathParameters(Map.of("id", user));
        event.setPath(event.getPath().replace("ftp_SAMPLE", user));
        event.setQueryStringParameters(Map.of("path", path));
        return status(handler.handleRequest(event, null));
    }

    private static int status(APIGatewayProxyResponseEvent response) {
        assertThat(response.getStatusCode()).as(response.getBody()).isLessThan(500);
        return response.getStatusCode();
    }

    /** Runs {@value #RACERS} requests at once (each racer waits for all to be ready) and answers their statuses. */
    private static List<Integer> race(IntFunction<Callable<Integer>> racer) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(RACERS);
        try {
            CountDownLatch ready = new CountDownLatch(RACERS);
            List<Future<Integer>> answers = new ArrayList<>();
            for (int i = 0; i < RACERS; i++) {
                Callable<Integer> request = racer.apply(i);
                answers.add(threads.submit(() -> {
                    ready.countDown();
                    ready.await();
                    return request.call();
                }));
            }
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> answer : answers) {
                statuses.add(answer.get());
            }
            return statuses;
        } finally {
            threads.shutdownNow();
        }
    }

    // ---- state ----

    private long used() {
        aws.recordFileChanges();
        return aws.accounts().get(account).storageBytesUsed();
    }

    private long heldInS3() {
        return aws.s3().listObjectsV2Paginator(b -> b.bucket(aws.config().require(Config.FILES_BUCKET))
                .prefix(account + "/")).contents().stream().mapToLong(S3Object::size).sum();
    }
}
