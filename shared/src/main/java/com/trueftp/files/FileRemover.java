package com.trueftp.files;

import com.trueftp.account.AccountRepository;
import com.trueftp.ftpuser.FtpUser;
import com.trueftp.ftpuser.OwnedFiles;

import javax.inject.Inject;

/**
 * Deletes files in bulk and counts them out of the account's storage use batch by batch, so that the count
 * stays exact even when a deletion is stopped half-way.
 */
public class FileRemover implements OwnedFiles {
    private final FileStore store;
    private final AccountRepository accounts;
    private final PendingUploads uploads;

    @Inject
    public FileRemover(FileStore store, AccountRepository accounts, PendingUploads uploads) {
        this.store = store;
        this.accounts = accounts;
        this.uploads = uploads;
    }

    /** Deletes every object of the space under {@code prefix}; answers the bytes removed. */
    public long deleteAll(FileSpace space, String prefix) {
        return store.deleteAll(prefix, bytes -> accounts.releaseStorage(space.accountId(), bytes));
    }

    /** All of a user's files; its upload URLs are settled first, so that what they stored is counted too. */
    @Override
    public void deleteAll(FtpUser user) {
        uploads.settleAll(user);
        FileSpace space = FileSpace.of(user);
        deleteAll(space, space.prefix());
    }
}
