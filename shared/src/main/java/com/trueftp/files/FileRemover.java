package com.trueftp.files;

import com.trueftp.core.ConflictException;
import com.trueftp.ftpuser.FtpUser;
import com.trueftp.ftpuser.OwnedFiles;

import software.amazon.awssdk.core.exception.SdkException;

import javax.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Deletes files in bulk and records them batch by batch (claims, records, the count; no event per file), so
 * that the count stays exact even when a deletion is stopped half-way, and S3's notifications of these
 * removals add no events (the folder is marked as being deleted meanwhile: S3 may tell of a removal before
 * the batch's claims are written).
 */
public class FileRemover implements OwnedFiles {
    static final int MAX_DELETE_PASSES = 3;
    /**
     * How long a folder stays marked as being deleted after each batch: S3 tells of each removal at once, and
     * the file-activity function must see the mark (not one event per file) until this deletion has claimed
     * them; a deletion that stopped half-way frees the folder after this.
     */
    static final Duration MARKED = Duration.ofMinutes(2);

    private final FileStore store;
    private final FileRecords records;
    private final FileActivity activity;
    private final Clock clock;

    @Inject
    public FileRemover(FileStore store, FileRecords records, FileActivity activity, Clock clock) {
        this.store = store;
        this.records = records;
        this.activity = activity;
        this.clock = clock;
    }

    /**
     * Deletes every object of the space under {@code prefix}; answers the bytes removed. Each deletion is
     * conditional on the version listed: an object replaced meanwhile stays, and the next pass deletes (and
     * counts) its new version.
     *
     * @throws ConflictException     when objects keep being replaced while they are deleted
     * @throws IllegalStateException when S3 refuses some of the keys (after recording what it did delete)
     */
    public long deleteAll(FileSpace space, String prefix) {
        records.markDeleting(space.accountId(), prefix, clock.instant().plus(MARKED));
        try {
            return deleteMarked(space, prefix);
        } finally {
            try {
                records.unmarkDeleting(space.accountId(), prefix);
            } catch (SdkException lapses) {
                // the mark lapses by itself
            }
        }
    }

    private long deleteMarked(FileSpace space, String prefix) {
        long total = 0;
        for (int pass = 1; ; pass++) {
            boolean leftChanged = false;
            String token = null;
            do {
                FileStore.Batch batch = store.listBatch(prefix, token);
                if (batch.objects().isEmpty()) {
                    break;
                }
                Map<String, FileRecords.Standing> before = records.read(space.accountId(),
                        batch.objects().stream().map(FileStore.Listed::key).toList());
                records.markDeleting(space.accountId(), prefix, clock.instant().plus(MARKED));
                FileStore.Deletion deletion = store.deleteBatch(batch.objects());
                List<FileActivity.OwnRemoval> removals = new ArrayList<>();
                for (FileStore.Removed removed : deletion.removed()) {
                    removals.add(new FileActivity.OwnRemoval(removed.key(), removed.versionId(), before.get(removed.key())));
                    total += removed.size();
                }
                activity.recordOwnRemovals(space.accountId(), removals);
                if (!deletion.refused().isEmpty()) {
                    throw new IllegalStateException("S3 refused to delete " + deletion.refused().size()
                            + " objects under " + prefix + ", first: " + deletion.refused().get(0).code());
                }
                leftChanged = leftChanged || deletion.leftChanged();
                token = batch.next();
            } while (token != null);
            if (!leftChanged) {
                return total;
            }
            if (pass == MAX_DELETE_PASSES) {
                throw new ConflictException("files kept changing while they were deleted: try again");
            }
        }
    }

    /** All of a user's files. */
    @Override
    public void deleteAll(FtpUser user) {
        FileSpace space = FileSpace.of(user);
        deleteAll(space, space.prefix());
    }
}
