package com.trueftp.http;

import com.trueftp.core.Text;

/** The optional free-text {@code description} of a resource, read the same way wherever one is sent. */
public final class DescriptionField {
    private DescriptionField() {
    }

    /** The description, or "" to clear it (JSON null or an empty string); 400 when it is not such a text. */
    public static String read(Object value, int maxCharacters) {
        if (value == null) {
            return "";
        }
        if (!(value instanceof String text)) {
            throw ApiException.badRequest("description must be a string or null");
        }
        if (!Text.isWellFormed(text)) {
            throw ApiException.badRequest("description must be valid Unicode text");
        }
        if (text.codePointCount(0, text.length()) > maxCharacters) {
            throw ApiException.badRequest("description must be at most " + maxCharacters + " characters");
        }
        return text;
    }
}
