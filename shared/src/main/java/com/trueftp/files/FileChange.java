package com.trueftp.files;

/**
 * One change to an object of the files bucket, as S3's event notification tells it.
 *
 * @param key       the object key (decoded)
 * @param versionId the version the change made: the new object's, or the delete marker's
 * @param removed   a removal (S3 tells no size); otherwise a new object of {@code size} bytes and {@code etag}
 * @param sequencer S3's per-key order: of two changes to one key, the greater is the later
 * @param principal who made the request, as S3 names it
 */
public record FileChange(String key, String versionId, boolean removed, long size, String etag, String sequencer,
                         String principal) {
    public String id() {
        return FileRecords.changeId(key, versionId);
    }

    FileRecords.Seen seen() {
        return new FileRecords.Seen(sequencer, removed ? -1 : size);
    }
}
