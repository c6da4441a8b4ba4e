package com.trueftp.ftpuser;

/** What an FTP user owns beside its record, which deleting the user deletes (its files, kept elsewhere). */
public interface OwnedFiles {
    void deleteAll(FtpUser user);
}
