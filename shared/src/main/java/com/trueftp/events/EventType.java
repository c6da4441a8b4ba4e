package com.trueftp.events;

import com.trueftp.core.Identified;

import java.util.Optional;

/** What an event records. */
public enum EventType implements Identified {
    FILE_UPLOADED("file.uploaded"),
    FILE_DOWNLOADED("file.downloaded"),
    FILE_DELETED("file.deleted"),
    FOLDER_CREATED("folder.created"),
    FOLDER_DELETED("folder.deleted"),
    FTP_USER_CREATED("ftp_user.created"),
    FTP_USER_UPDATED("ftp_user.updated"),
    FTP_USER_DELETED("ftp_user.deleted");

    private final String id;

    EventType(String id) {
        this.id = id;
    }

    @Override
    public String id() {
        return id;
    }

    public static Optional<EventType> parse(String id) {
        return Identified.parse(EventType.class, id);
    }
}
