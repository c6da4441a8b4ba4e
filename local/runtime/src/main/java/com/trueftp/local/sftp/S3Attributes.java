package com.trueftp.local.sftp;

import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** What a session sees of a file or folder: S3 keeps sizes and times, nothing else (no owners, no modes). */
record S3Attributes(boolean folder, long size, Instant modified, String key) implements BasicFileAttributes {
    @Override
    public FileTime lastModifiedTime() {
        return FileTime.from(modified);
    }

    @Override
    public FileTime lastAccessTime() {
        return lastModifiedTime();
    }

    @Override
    public FileTime creationTime() {
        return lastModifiedTime();
    }

    @Override
    public boolean isRegularFile() {
        return !folder;
    }

    @Override
    public boolean isDirectory() {
        return folder;
    }

    @Override
    public boolean isSymbolicLink() {
        return false;
    }

    @Override
    public boolean isOther() {
        return false;
    }

    @Override
    public Object fileKey() {
        return key;
    }

    /** The permissions a client shows: what the session may do (read-only sessions see no write bits). */
    Set<PosixFilePermission> permissions(boolean writable) {
        String mode = (folder ? "r-x" : "r--");
        String owner = writable ? mode.charAt(0) + "w" + mode.charAt(2) : mode;
        return PosixFilePermissions.fromString(owner + mode + mode);
    }

    /** The {@code basic} view as a map (what the SFTP server reads), with the permissions it would else probe for. */
    Map<String, Object> asMap(boolean writable) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("lastModifiedTime", lastModifiedTime());
        map.put("lastAccessTime", lastAccessTime());
        map.put("creationTime", creationTime());
        map.put("size", size);
        map.put("isRegularFile", isRegularFile());
        map.put("isDirectory", isDirectory());
        map.put("isSymbolicLink", false);
        map.put("isOther", false);
        map.put("fileKey", key);
        map.put("permissions", permissions(writable));
        return map;
    }
}
