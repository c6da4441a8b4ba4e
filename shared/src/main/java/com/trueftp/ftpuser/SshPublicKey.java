package com.trueftp.ftpuser;

import com.trueftp.core.InvalidInputException;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * An SSH public key an FTP user may log in with, in OpenSSH's one-line form ({@code type base64 [comment]}). Only
 * types that are safe today are taken: Ed25519, ECDSA on the NIST curves, and RSA of at least {@value #MIN_RSA_BITS}
 * bits. The key inside the base64 blob is read and checked (its own type name, the curve, the sizes), so what is
 * stored is a key a server can use, not just text that looks like one.
 *
 * @param type    the algorithm name, e.g. {@code ssh-ed25519}
 * @param base64  the key in SSH wire form, base64 as OpenSSH writes it (re-encoded: one key, one text)
 * @param comment what follows the key on its line, "" when nothing does
 */
public record SshPublicKey(String type, String base64, String comment) {
    public static final int MIN_RSA_BITS = 3072;
    public static final int MAX_PER_USER = 10;
    /** Longer than a 16,384-bit RSA key's line: anything longer is not a key. */
    static final int MAX_LINE = 8192;
    static final int MAX_COMMENT = 256;
    /** ECDSA types and the curve each names inside its blob, with the size of its uncompressed point. */
    private static final Map<String, Integer> ECDSA_POINT_BYTES = Map.of(
            "nistp256", 65, "nistp384", 97, "nistp521", 133);
    private static final int ED25519_BYTES = 32;

    /**
     * Reads a user's keys: at most {@value #MAX_PER_USER}, none twice.
     *
     * @param field how the list is named in errors; a key is named by its place, e.g. {@code ssh_public_keys[1]}
     */
    public static List<SshPublicKey> parseAll(List<String> lines, String field) {
        if (lines.size() > MAX_PER_USER) {
            throw new InvalidInputException(field + " holds " + lines.size() + " keys: at most " + MAX_PER_USER);
        }
        List<SshPublicKey> keys = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            SshPublicKey key = parse(lines.get(i), field + "[" + i + "]");
            for (int earlier = 0; earlier < keys.size(); earlier++) {
                if (keys.get(earlier).sameKey(key)) {
                    throw invalid(field + "[" + i + "]", "is the same key as " + field + "[" + earlier + "]");
                }
            }
            keys.add(key);
        }
        return keys;
    }

    /**
     * Reads one key line.
     *
     * @param what how the key is named in the error, e.g. {@code ssh_public_keys[1]}
     * @throws InvalidInputException naming the key and what is wrong with it
     */
    public static SshPublicKey parse(String line, String what) {
        if (line.length() > MAX_LINE) {
            throw invalid(what, "is longer than " + MAX_LINE + " characters");
        }
        String[] parts = line.strip().split("[ \\t]+", 3);
        if (parts.length < 2) {
            throw invalid(what, "must be one line 'type base64-key [comment]', as in an OpenSSH .pub file");
        }
        String type = parts[0];
        if (!type.equals("ssh-ed25519") && !type.equals("ssh-rsa") && !type.startsWith("ecdsa-sha2-")) {
            throw invalid(what, "has type " + shortened(type) + ": accepted are ssh-ed25519, ecdsa-sha2-nistp256, "
                    + "ecdsa-sha2-nistp384, ecdsa-sha2-nistp521 and ssh-rsa of at least " + MIN_RSA_BITS + " bits");
        }
        if (type.startsWith("ecdsa-sha2-") && !ECDSA_POINT_BYTES.containsKey(type.substring("ecdsa-sha2-".length()))) {
            throw invalid(what, "has type " + shortened(type) + ": accepted ECDSA curves are nistp256, nistp384 "
                    + "and nistp521");
        }
        byte[] blob;
        try {
            blob = Base64.getDecoder().decode(parts[1]);
        } catch (IllegalArgumentException e) {
            throw invalid(what, "is not valid base64 after its type");
        }
        String comment = parts.length == 3 ? parts[2].strip() : "";
        if (comment.length() > MAX_COMMENT || comment.chars().anyMatch(Character::isISOControl)) {
            throw invalid(what, "has a comment longer than " + MAX_COMMENT + " characters or with control characters");
        }
        try {
            checkBlob(type, ByteBuffer.wrap(blob), what);
        } catch (java.nio.BufferUnderflowException | IllegalArgumentException e) {
            throw invalid(what, "is cut short or malformed: its base64 does not hold a " + type + " key");
        }
        return new SshPublicKey(type, Base64.getEncoder().encodeToString(blob), comment);
    }

    private static void checkBlob(String type, ByteBuffer in, String what) {
        String inner = new String(string(in), StandardCharsets.US_ASCII);
        if (!inner.equals(type)) {
            throw invalid(what, "says " + type + " but holds a " + shortened(inner) + " key");
        }
        if (type.equals("ssh-ed25519")) {
            if (string(in).length != ED25519_BYTES) {
                throw invalid(what, "holds an Ed25519 key that is not " + ED25519_BYTES + " bytes");
            }
        } else if (type.equals("ssh-rsa")) {
            BigInteger exponent = new BigInteger(string(in));
            BigInteger modulus = new BigInteger(string(in));
            if (exponent.signum() <= 0 || modulus.signum() <= 0) {
                throw new IllegalArgumentException("not a positive RSA key");
            }
            if (modulus.bitLength() < MIN_RSA_BITS) {
                throw invalid(what, "is an RSA key of " + modulus.bitLength() + " bits: at least " + MIN_RSA_BITS
                        + " are needed");
            }
        } else {
            String curve = type.substring("ecdsa-sha2-".length());
            int pointBytes = ECDSA_POINT_BYTES.get(curve);
            if (!new String(string(in), StandardCharsets.US_ASCII).equals(curve)) {
                throw invalid(what, "names another curve inside than its type " + type);
            }
            byte[] point = string(in);
            if (point.length != pointBytes || point[0] != 4) {
                throw invalid(what, "holds no uncompressed " + curve + " point");
            }
        }
        if (in.hasRemaining()) {
            throw invalid(what, "has bytes after its " + type + " key");
        }
    }

    /** An SSH wire-form string: a 4-byte length, then that many bytes. */
    private static byte[] string(ByteBuffer in) {
        int length = in.getInt();
        if (length < 0 || length > in.remaining()) {
            throw new IllegalArgumentException("length out of range");
        }
        byte[] bytes = new byte[length];
        in.get(bytes);
        return bytes;
    }

    private static InvalidInputException invalid(String what, String problem) {
        return new InvalidInputException(what + " " + problem);
    }

    private static String shortened(String text) {
        String printable = text.replaceAll("[^\\x21-\\x7e]", "?");
        return printable.length() > 40 ? printable.substring(0, 40) + "…" : printable;
    }

    /** The key as OpenSSH writes it: {@code type base64}, then the comment if any. */
    public String line() {
        return comment.isEmpty() ? keyOnly() : keyOnly() + " " + comment;
    }

    /** {@code type base64}: the key without its comment. */
    public String keyOnly() {
        return type + " " + base64;
    }

    /** OpenSSH's fingerprint, {@code SHA256:…}: how a person tells keys apart. */
    public String fingerprint() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(Base64.getDecoder().decode(base64));
            return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }

    /** The same key, whatever the comments say. */
    public boolean sameKey(SshPublicKey other) {
        return type.equals(other.type) && base64.equals(other.base64);
    }

    @Override
    public String toString() {
        return type + " " + fingerprint();
    }
}
