package com.trueftp.files;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class S3ChangeNoticesTest {
    private static String notification(String eventName, String object) {
        return "{\"Records\":[{\"eventVersion\":\"2.3\",\"eventSource\":\"aws:s3\",\"eventName\":\"" + eventName
                + "\",\"userIdentity\":{\"principalId\":\"AWS:AROAROLE:session\"},\"s3\":{\"object\":{" + object + "}}}]}";
    }

    @Test
    void anUploadIsAChangeWithItsSizeETagVersionAndDecodedKey() {
        List<FileChange> changes = S3ChangeNotices.parse(notification("ObjectCreated:CompleteMultipartUpload",
                "\"key\":\"acc_a/ftp_b/red+flower%2B1%40x.csv\",\"size\":5368709121,\"eTag\":\"9b2cf535f27731c974343645a3985328-81\","
                        + "\"versionId\":\"v1\",\"sequencer\":\"0055AED6DCD90281E5\",\"newField\":{\"x\":1}"));

        assertThat(changes).containsExactly(new FileChange("acc_a/ftp_b/red flower+1@x.csv", "v1", false, 5368709121L,
                "9b2cf535f27731c974343645a3985328-81", "0055AED6DCD90281E5", "AWS:AROAROLE:session"));
    }

    @Test
    void aRemovalHasNoSizeAndAnUnversionedChangeIsVersionNull() {
        assertThat(S3ChangeNotices.parse(notification("ObjectRemoved:Delete",
                "\"key\":\"acc_a/ftp_b/x\",\"sequencer\":\"0A\""))).singleElement().satisfies(change -> {
                    assertThat(change.removed()).isTrue();
                    assertThat(change.size()).isZero();
                    assertThat(change.versionId()).isEqualTo("null");
                });
    }

    @Test
    void s3sTestMessageAndOtherEventTypesAreNoChanges() {
        assertThat(S3ChangeNotices.parse("{\"Service\":\"Amazon S3\",\"Event\":\"s3:TestEvent\",\"Bucket\":\"b\"}")).isEmpty();
        assertThat(S3ChangeNotices.parse(notification("ObjectTagging:Put", "\"key\":\"acc_a/ftp_b/x\""))).isEmpty();
    }

    @Test
    void aBodyThatIsNoNotificationIsRefused() {
        assertThatThrownBy(() -> S3ChangeNotices.parse("not json")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> S3ChangeNotices.parse("{\"hello\":1}")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void sequencersCompareAsS3SaysRightPaddedWithZeros() {
        assertThat(FileRecords.compareSequencers("0055AED6DCD90281E5", "0055AED6DCD90281E500")).isZero();
        assertThat(FileRecords.compareSequencers("0055AED6DCD90281E5", "0055AED6DCD90281E501")).isNegative();
        assertThat(FileRecords.compareSequencers("0055AED6DCD90281F", "0055AED6DCD90281E5")).isPositive();
    }

    @Test
    void aRemovalIsSizedByTheChangeBeforeItOnTheKey() {
        FileChange removal = new FileChange("k", "v3", true, 0, null, "30", "p");
        List<FileRecords.Seen> history = List.of(new FileRecords.Seen("10", 3), new FileRecords.Seen("20", 7),
                new FileRecords.Seen("30", -1), new FileRecords.Seen("40", 9));
        FileRecords.Standing before = new FileRecords.Standing("k", 9, "e", 4, history);

        assertThat(FileActivity.removedSize(removal, before, history)).isEqualTo(7);
        assertThat(FileActivity.removedSize(removal, before, List.of())).as("nothing before it seen: the record's")
                .isEqualTo(9);
    }
}
