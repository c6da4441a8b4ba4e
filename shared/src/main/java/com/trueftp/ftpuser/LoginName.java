package com.trueftp.ftpuser;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The name an FTP user logs in with: {@code <username>.<account id>}, e.g. {@code partner.acc_7Hq2…}. One server
 * serves every account, so the name must be unique across accounts; usernames are unique only within one. The
 * account id makes it unique, needs no table of its own and tells the login service where to look. Only
 * {@code a-z 0-9 . _ -} and the id's letters: valid for AWS Transfer Family and for {@code sftp login@host}. An
 * account id has no dot, so the name splits at its last one.
 */
public record LoginName(String username, String accountId) {
    private static final Pattern FORM = Pattern.compile("[a-z0-9][a-z0-9._-]{2,63}\\.acc_[A-Za-z0-9]{20}");

    /** Empty for anything that is not such a name (it can belong to no one). */
    public static Optional<LoginName> parse(String login) {
        if (login == null || !FORM.matcher(login).matches()) {
            return Optional.empty();
        }
        int dot = login.lastIndexOf('.');
        return Optional.of(new LoginName(login.substring(0, dot), login.substring(dot + 1)));
    }

    @Override
    public String toString() {
        return username + "." + accountId;
    }
}
