package com.trueftp.files;

import com.trueftp.core.RandomIds;
import com.trueftp.ftpuser.FtpUser;

import java.util.Optional;

/**
 * One FTP user's files: the keys under {@code <account id>/<ftp user id>/} in the files bucket. Both ids come
 * from the authenticated caller and the user record, never from the path, so no path reaches another space.
 */
public record FileSpace(String accountId, String ftpUserId) {
    /** The length of every prefix: two ids of {@link RandomIds#newId} ({@code acc_…}, {@code ftp_…}) and two slashes. */
    static final int PREFIX_BYTES = 2 * RandomIds.newId("acc").length() + 2;

    public static FileSpace of(FtpUser user) {
        return new FileSpace(user.accountId(), user.id());
    }

    /** The space a key of the files bucket lies in: empty for a key outside every space. */
    public static Optional<FileSpace> ofKey(String key) {
        int first = key.indexOf('/');
        int second = first < 0 ? -1 : key.indexOf('/', first + 1);
        if (second < 0 || !key.startsWith("acc_") || !key.startsWith("ftp_", first + 1)) {
            return Optional.empty();
        }
        return Optional.of(new FileSpace(key.substring(0, first), key.substring(first + 1, second)));
    }

    public String prefix() {
        return accountId + "/" + ftpUserId + "/";
    }

    /** The key of a checked path: {@code /docs/a.txt} → {@code acc/ftp/docs/a.txt}, {@code /docs/} → {@code acc/ftp/docs/}. */
    public String key(String path) {
        return prefix() + path.substring(1);
    }

    /** The path of a key in this space. */
    public String path(String key) {
        return "/" + key.substring(prefix().length());
    }
}
