package com.trueftp.webhooks;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The two signatures every webhook delivery carries, so that a receiver can verify it either way: TrueFTP's
 * own {@code X-TrueFTP-Signature: t=<unix seconds>,v1=<hex>} (HMAC-SHA256 keyed with the whole secret
 * string, over {@code "<t>." + body}) and Standard Webhooks' {@code webhook-signature: v1,<base64>}
 * (HMAC-SHA256 keyed with the base64-decoded part after {@code whsec_}, over {@code "<id>.<t>." + body}).
 * While a rotated secret is still honoured, each header carries one signature per secret.
 */
public final class WebhookSignatures {
    public static final String SECRET_PREFIX = "whsec_";
    private static final SecureRandom RANDOM = new SecureRandom();

    private WebhookSignatures() {
    }

    /** A new secret: {@code whsec_} and the base64 of 32 random bytes. */
    public static String newSecret() {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        return SECRET_PREFIX + Base64.getEncoder().encodeToString(key);
    }

    /** {@code X-TrueFTP-Signature}: {@code t=<t>,v1=<hex>} with one {@code v1} per secret. */
    public static String trueftpHeader(List<String> secrets, long timestamp, byte[] body) {
        return "t=" + timestamp + secrets.stream().map(secret -> ",v1=" + HexFormat.of().formatHex(
                hmac(secret.getBytes(StandardCharsets.UTF_8), signed(timestamp + ".", body)))).collect(Collectors.joining());
    }

    /** {@code webhook-signature}: {@code v1,<base64>} per secret, separated by spaces. */
    public static String standardHeader(List<String> secrets, String messageId, long timestamp, byte[] body) {
        return secrets.stream().map(secret -> "v1," + Base64.getEncoder().encodeToString(hmac(standardKey(secret),
                signed(messageId + "." + timestamp + ".", body)))).collect(Collectors.joining(" "));
    }

    private static byte[] standardKey(String secret) {
        if (!secret.startsWith(SECRET_PREFIX)) {
            throw new IllegalArgumentException("a webhook secret starts with " + SECRET_PREFIX);
        }
        return Base64.getDecoder().decode(secret.substring(SECRET_PREFIX.length()));
    }

    private static byte[] signed(String prefix, byte[] body) {
        byte[] head = prefix.getBytes(StandardCharsets.UTF_8);
        byte[] message = new byte[head.length + body.length];
        System.arraycopy(head, 0, message, 0, head.length);
        System.arraycopy(body, 0, message, head.length, body.length);
        return message;
    }

    private static byte[] hmac(byte[] key, byte[] message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(message);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
