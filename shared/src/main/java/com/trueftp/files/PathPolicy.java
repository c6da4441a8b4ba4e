package com.trueftp.files;

import com.trueftp.core.InvalidInputException;
import com.trueftp.core.Text;

import java.nio.charset.StandardCharsets;

/**
 * The one rule for paths inside an FTP user's space: absolute ({@code /}, {@code /docs/}, {@code /docs/a.txt}),
 * at most {@value #MAX_BYTES} bytes, no empty, {@code .} or {@code ..} segments, no backslashes or control
 * characters.
 */
public final class PathPolicy {
    /** S3's longest key, in bytes of UTF-8. */
    static final int S3_KEY_BYTES = 1024;
    /**
     * The longest path: its key, the space's prefix followed by the path without its leading slash, must fit
     * in S3's 1,024 bytes, or S3 refuses it.
     */
    public static final int MAX_BYTES = S3_KEY_BYTES - FileSpace.PREFIX_BYTES + 1;
    /**
     * The greatest code point (U+10FFFF, a noncharacter): refused in names, so a folder's key followed by it
     * sorts after everything inside the folder, which is where a listing continues past a sub-folder.
     */
    public static final String PAST_FOLDER = new String(Character.toChars(Character.MAX_CODE_POINT));

    private PathPolicy() {
    }

    /**
     * @param what names the parameter in the error message, e.g. "home_directory"
     * @return the path, unchanged
     * @throws InvalidInputException saying what is wrong
     */
    public static String require(String path, String what) {
        if (path == null || path.isEmpty()) {
            throw new InvalidInputException(what + " is required");
        }
        if (!path.startsWith("/")) {
            throw new InvalidInputException(what + " must start with /");
        }
        if (path.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            throw new InvalidInputException(what + " is longer than " + MAX_BYTES + " bytes");
        }
        checkCharacters(path, what);
        if (!path.equals("/")) {
            String inner = path.substring(1);
            if (inner.endsWith("/")) {
                inner = inner.substring(0, inner.length() - 1); // a folder's trailing slash
            }
            for (String segment : inner.split("/", -1)) {
                if (segment.isEmpty()) {
                    throw new InvalidInputException(what + " must not contain empty segments (//)");
                }
                if (segment.equals(".") || segment.equals("..")) {
                    throw new InvalidInputException(what + " must not contain . or .. segments");
                }
            }
        }
        return path;
    }

    /**
     * The characters any name may hold: valid Unicode without control characters, backslashes or
     * noncharacters (U+FFFE and U+FFFF cannot travel in S3's XML listings; U+10FFFF bounds a listing).
     */
    public static void checkCharacters(String text, String what) {
        if (!Text.isWellFormed(text)) {
            throw new InvalidInputException(what + " must be valid Unicode text");
        }
        for (int i = 0; i < text.length(); i += Character.charCount(text.codePointAt(i))) {
            int c = text.codePointAt(i);
            if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
                throw new InvalidInputException(what + " must not contain control characters");
            }
            if (c == '\\') {
                throw new InvalidInputException(what + " must not contain backslashes");
            }
            if ((c & 0xFFFE) == 0xFFFE || (c >= 0xFDD0 && c <= 0xFDEF)) {
                throw new InvalidInputException(what + " must not contain Unicode noncharacters such as U+FFFF");
            }
        }
    }

    /** A file path: valid, not the root and not ending with {@code /}. */
    public static String file(String path, String what) {
        require(path, what);
        if (path.endsWith("/")) {
            throw new InvalidInputException(what + " must name a file, not a folder (no trailing /)");
        }
        return path;
    }

    /** The last segment of a path: {@code a.txt} for {@code /docs/a.txt}, {@code docs} for {@code /docs/}. */
    public static String name(String path) {
        String trimmed = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        return trimmed.substring(trimmed.lastIndexOf('/') + 1);
    }

    /** A search: a prefix of names within one folder, so without slashes, and no longer than a path. */
    public static String search(String search) {
        if (search.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            throw new InvalidInputException("search is longer than " + MAX_BYTES + " bytes");
        }
        if (search.contains("/")) {
            throw new InvalidInputException("search is a prefix of names in the folder: it cannot contain /");
        }
        checkCharacters(search, "search");
        return search;
    }

    /** A folder path: valid, and ending with {@code /} (added if missing). */
    public static String folder(String path, String what) {
        if (path != null && !path.isEmpty() && !path.endsWith("/")) {
            return require(path + "/", what); // measured as its key will be: with the slash
        }
        return require(path, what);
    }
}
