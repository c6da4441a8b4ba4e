package com.trueftp.ftpuser;

import com.trueftp.core.Json;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * An FTP user of an account. The password hash stays inside: {@link #toJson()} never shows it.
 *
 * @param description   null when none was given
 * @param lastLoginAt   null until the user first logs in
 * @param sshPublicKeys the keys the user may log in with besides the password (public: shown)
 */
public record FtpUser(String id, String accountId, String username, String passwordHash, boolean canWrite,
                      boolean enabled, String homeDirectory, String description, Instant createdAt,
                      Instant updatedAt, Instant lastLoginAt, List<SshPublicKey> sshPublicKeys) {

    public FtpUser {
        sshPublicKeys = List.copyOf(sshPublicKeys);
    }

    /** The name to log in with over SFTP. */
    public LoginName login() {
        return new LoginName(username, accountId);
    }

    public Map<String, Object> toJson() {
        return Json.object("id", id, "username", username, "login", login().toString(), "can_write", canWrite,
                "enabled", enabled, "home_directory", homeDirectory,
                "ssh_public_keys", sshPublicKeys.stream().map(SshPublicKey::line).toList(), "description", description,
                "created_at", Json.timestamp(createdAt), "updated_at", Json.timestamp(updatedAt),
                "last_login_at", Json.timestamp(lastLoginAt));
    }

    @Override
    public String toString() {
        return "FtpUser[" + id + " " + username + "]"; // never the hash, even in a log line
    }
}
