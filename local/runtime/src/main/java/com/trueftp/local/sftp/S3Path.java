package com.trueftp.local.sftp;

import org.apache.sshd.common.file.util.BasePath;

import java.nio.file.LinkOption;
import java.util.List;

/**
 * A path of an SFTP session: {@code /} is the user's home folder. Paths only name places; {@link S3FileSystem#key}
 * turns one into an object key, always inside the home folder.
 */
final class S3Path extends BasePath<S3Path, S3FileSystem> {
    /** What a directory listing already said of this entry (saves a request per entry); null otherwise. */
    private final S3Attributes listed;

    S3Path(S3FileSystem fileSystem, String root, List<String> names, S3Attributes listed) {
        super(fileSystem, root, names);
        this.listed = listed;
    }

    S3Attributes listed() {
        return listed;
    }

    List<String> names() {
        return names;
    }

    /** There are no links: the real path is the normalized absolute one. */
    @Override
    public S3Path toRealPath(LinkOption... options) {
        return toAbsolutePath().normalize();
    }
}
