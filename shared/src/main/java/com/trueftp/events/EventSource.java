package com.trueftp.events;

import com.trueftp.core.Identified;

import java.util.Optional;

/** Who made the change an event records. */
public enum EventSource implements Identified {
    /** The API's own requests: uploads, deletes, folders, FTP users. */
    API("api"),
    /** A presigned PUT or multipart upload the API issued. */
    UPLOAD_URL("upload_url"),
    SFTP("sftp"),
    FTPS("ftps"),
    /** Anything else that wrote to the files bucket (an operator, another tool). */
    EXTERNAL("external");

    private final String id;

    EventSource(String id) {
        this.id = id;
    }

    @Override
    public String id() {
        return id;
    }

    public static Optional<EventSource> parse(String id) {
        return Identified.parse(EventSource.class, id);
    }
}
