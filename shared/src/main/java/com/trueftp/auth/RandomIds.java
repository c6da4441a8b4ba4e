package com.trueftp.auth;

import java.security.SecureRandom;

/** Unguessable identifiers and tokens from a CSPRNG, in the alphabet [A-Za-z0-9]. */
public final class RandomIds {
    private static final char[] ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private RandomIds() {
    }

    public static String base62(int length) {
        char[] out = new char[length];
        for (int i = 0; i < length; i++) {
            out[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
        }
        return new String(out);
    }

    /** A resource id such as {@code acc_3kT9...}: a type prefix and 20 random characters (119 bits). */
    public static String newId(String prefix) {
        return prefix + "_" + base62(20);
    }
}
