package com.trueftp.functions.ftpusers;

import com.trueftp.core.Text;
import com.trueftp.files.PathPolicy;
import com.trueftp.ftpuser.SshPublicKey;
import com.trueftp.http.ApiException;
import com.trueftp.http.DescriptionField;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/** Reads and checks the JSON fields of create and update requests; every problem is a 400 that names the field. */
final class FtpUserInput {
    static final Pattern USERNAME = Pattern.compile("[a-z0-9][a-z0-9._-]{2,63}");
    static final int MIN_PASSWORD = 12;
    static final int MAX_PASSWORD = 256;
    static final int MAX_DESCRIPTION = 500;
    /** The fields of a user a request may send, on create and on update alike. */
    static final Set<String> FIELDS = Set.of("username", "password", "can_write", "enabled",
            "home_directory", "ssh_public_keys", "description");

    private final Map<String, Object> body;

    FtpUserInput(Map<String, Object> body) {
        Set<String> unknown = new TreeSet<>(body.keySet());
        unknown.removeAll(FIELDS);
        if (!unknown.isEmpty()) {
            throw ApiException.badRequest("unknown field" + (unknown.size() > 1 ? "s: " : ": ")
                    + String.join(", ", unknown) + " (allowed: " + String.join(", ", new TreeSet<>(FIELDS)) + ")");
        }
        this.body = body;
    }

    boolean has(String field) {
        return body.containsKey(field);
    }

    String username() {
        String username = text("username");
        if (!USERNAME.matcher(username).matches()) {
            throw ApiException.badRequest("username must be 3 to 64 characters of a-z, 0-9, '.', '_' or '-', "
                    + "starting with a letter or a digit");
        }
        return username;
    }

    String password() {
        String password = text("password");
        int length = password.codePointCount(0, password.length());
        if (length < MIN_PASSWORD || length > MAX_PASSWORD) {
            throw ApiException.badRequest("password must be " + MIN_PASSWORD + " to " + MAX_PASSWORD + " characters");
        }
        return password;
    }

    String homeDirectory() {
        return PathPolicy.folder(text("home_directory"), "home_directory");
    }

    /** The keys, checked one by one; an empty list clears them. */
    List<SshPublicKey> sshPublicKeys() {
        Object value = body.get("ssh_public_keys");
        if (!(value instanceof List<?> list)) {
            throw ApiException.badRequest("ssh_public_keys must be a list of OpenSSH public key lines");
        }
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            if (!(list.get(i) instanceof String line) || !Text.isWellFormed(line)) {
                throw ApiException.badRequest("ssh_public_keys[" + i + "] must be a string");
            }
            lines.add(line);
        }
        return SshPublicKey.parseAll(lines, "ssh_public_keys");
    }

    /** The description, or "" to clear it (JSON null or an empty string). */
    String description() {
        return DescriptionField.read(body.get("description"), MAX_DESCRIPTION);
    }

    boolean bool(String field) {
        Object value = body.get(field);
        if (!(value instanceof Boolean b)) {
            throw ApiException.badRequest(field + " must be true or false");
        }
        return b;
    }

    private String text(String field) {
        if (!body.containsKey(field)) {
            throw ApiException.badRequest(field + " is required");
        }
        if (!(body.get(field) instanceof String text)) {
            throw ApiException.badRequest(field + " must be a string");
        }
        if (!Text.isWellFormed(text)) {
            throw ApiException.badRequest(field + " must be valid Unicode text");
        }
        return text;
    }
}
