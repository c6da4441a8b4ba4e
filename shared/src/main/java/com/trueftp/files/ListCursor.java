package com.trueftp.files;

import com.trueftp.core.Config;
import com.trueftp.core.InvalidInputException;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;

/**
 * Opaque list cursors that continue one listing and nothing else: the name the previous page ended at,
 * signed together with the account, the FTP user, the folder and the search it belongs to. An altered cursor, or one
 * presented for another listing, fails the signature check and is refused.
 */
public class ListCursor {
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();
    private static final String INVALID = "cursor is not valid for this listing: pass next_cursor from the previous "
            + "page with the same path and search";

    private final SecretKeySpec key;

    @Inject
    public ListCursor(Config config) {
        this.key = new SecretKeySpec(config.require(Config.CURSOR_SECRET).getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    }

    public String issue(FileSpace space, String folder, String search, String position) {
        byte[] token = position.getBytes(StandardCharsets.UTF_8);
        return ENCODER.encodeToString(token) + "." + ENCODER.encodeToString(sign(space, folder, search, token));
    }

    /** @return the position (a name in the folder) the cursor carries */
    public String open(String cursor, FileSpace space, String folder, String search) {
        int dot = cursor.indexOf('.');
        if (dot < 0) {
            throw new InvalidInputException(INVALID);
        }
        byte[] token;
        byte[] signature;
        try {
            token = DECODER.decode(cursor.substring(0, dot));
            signature = DECODER.decode(cursor.substring(dot + 1));
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(INVALID);
        }
        // Only the one spelling we issue: base64 leaves spare bits in a last character that decoding ignores.
        boolean canonical = cursor.equals(ENCODER.encodeToString(token) + "." + ENCODER.encodeToString(signature));
        if (token.length == 0 || !canonical || !MessageDigest.isEqual(signature, sign(space, folder, search, token))) {
            throw new InvalidInputException(INVALID);
        }
        return new String(token, StandardCharsets.UTF_8);
    }

    private byte[] sign(FileSpace space, String folder, String search, byte[] token) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            // NUL cannot occur in ids, paths or searches (all refused), so the fields cannot run into each other.
            String scope = space.accountId() + "\0" + space.ftpUserId() + "\0" + folder + "\0" + search + "\0";
            mac.update(scope.getBytes(StandardCharsets.UTF_8));
            return mac.doFinal(token);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
