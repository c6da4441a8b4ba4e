package com.trueftp.files;

import com.trueftp.core.Config;
import com.trueftp.events.EventSource;

import javax.inject.Inject;
import java.util.List;
import java.util.Optional;

/**
 * Who made a change S3 tells of, from the principal S3 names in its notification. The API's functions sign its
 * own writes and its upload URLs with their roles ({@value Config#FILES_API_PRINCIPALS}: the roles' unique ids on
 * AWS, the access key locally); of their new objects, those the API wrote itself carry its write mark. The FTP
 * side's role ({@value Config#SFTP_PRINCIPALS}) is SFTP. Anything else is external.
 */
public class ChangeSources {
    private final List<String> api;
    private final List<String> sftp;

    @Inject
    public ChangeSources(Config config) {
        this.api = principals(config, Config.FILES_API_PRINCIPALS);
        this.sftp = principals(config, Config.SFTP_PRINCIPALS);
    }

    EventSource of(FileChange change, Optional<FileStore.ObjectInfo> now) {
        if (madeBy(api, change.principal())) {
            boolean ownWrite = now.isPresent() && now.get().mark() != null && !change.removed()
                    && FileStore.unquoted(now.get().etag()).equals(FileStore.unquoted(change.etag()));
            return change.removed() || ownWrite ? EventSource.API : EventSource.UPLOAD_URL;
        }
        return madeBy(sftp, change.principal()) ? EventSource.SFTP : EventSource.EXTERNAL;
    }

    /** S3 names a role's session {@code AWS:<role id>:<session>}: a principal is matched by the id it contains. */
    private static boolean madeBy(List<String> principals, String principal) {
        return principals.stream().anyMatch(principal::contains);
    }

    private static List<String> principals(Config config, String variable) {
        return config.get(variable).stream().flatMap(value -> List.of(value.split(",", -1)).stream())
                .map(String::strip).filter(id -> !id.isEmpty()).toList();
    }
}
