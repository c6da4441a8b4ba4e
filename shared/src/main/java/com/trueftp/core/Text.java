package com.trueftp.core;

/** Checks on client text that Java strings allow but storage would not keep as sent. */
public final class Text {
    private Text() {
    }

    /** False when the text has an unpaired surrogate, which UTF-8 cannot encode (it would become "?"). */
    public static boolean isWellFormed(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(i + 1))) {
                    return false;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return false;
            }
        }
        return true;
    }
}
