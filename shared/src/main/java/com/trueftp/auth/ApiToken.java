package com.trueftp.auth;

import com.trueftp.core.RandomIds;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * API tokens: {@code tftp_} and 32 characters of [A-Za-z0-9] (190 random bits). Only the SHA-256 of a
 * token is stored; a fast hash is right here because the token is random, not a password.
 */
public final class ApiToken {
    public static final String PREFIX = "tftp_";
    private static final Pattern FORMAT = Pattern.compile("tftp_[A-Za-z0-9]{32}");
    /** Exactly the scheme (any case), one space and the token: nothing before, between or after. */
    private static final Pattern BEARER = Pattern.compile("(?i:bearer) (tftp_[A-Za-z0-9]{32})");

    private ApiToken() {
    }

    public static String generate() {
        return PREFIX + RandomIds.base62(32);
    }

    public static boolean isWellFormed(String token) {
        return token != null && FORMAT.matcher(token).matches();
    }

    /** The token of an {@code Authorization: Bearer tftp_...} header, if the header has that shape. */
    public static Optional<String> fromAuthorizationHeader(String header) {
        if (header == null) {
            return Optional.empty();
        }
        var m = BEARER.matcher(header);
        return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
    }

    public static String hash(String token) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
