package com.trueftp.core;

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

    /** Digits and letters in ASCII order, so that fixed-width numbers in it sort as strings. */
    private static final char[] SORTABLE = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();

    /**
     * An id whose string order is its creation order (to the millisecond): the prefix, the time in
     * 8 sortable base-62 digits, then 12 random characters (71 bits).
     */
    public static String newSortableId(String prefix, long epochMillis) {
        char[] time = new char[8];
        long rest = epochMillis;
        for (int i = time.length - 1; i >= 0; i--) {
            time[i] = SORTABLE[(int) (rest % SORTABLE.length)];
            rest /= SORTABLE.length;
        }
        return prefix + "_" + new String(time) + base62(12);
    }

    /** A resource id such as {@code acc_3kT9...}: a type prefix and 20 random characters (119 bits). */
    public static String newId(String prefix) {
        return prefix + "_" + base62(20);
    }
}
