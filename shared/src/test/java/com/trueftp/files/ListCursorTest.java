package com.trueftp.files;

import com.trueftp.core.Config;
import com.trueftp.core.InvalidInputException;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ListCursorTest {
    private final ListCursor cursors = new ListCursor(Config.of(Map.of(Config.CURSOR_SECRET, "secret-one")));
    private final FileSpace space = new FileSpace("acc_1", "ftp_1");

    @Test
    void aCursorOpensToItsPositionInItsOwnListing() {
        String cursor = cursors.issue(space, "/docs/", "re", "report 2026/");
        assertThat(cursors.open(cursor, space, "/docs/", "re")).isEqualTo("report 2026/");
        assertThat(cursor).matches("[A-Za-z0-9_.-]+"); // URL-safe as it is
    }

    @Test
    void aCursorOfAnotherListingOrSecretIsRefused() {
        String cursor = cursors.issue(space, "/docs/", "", "a.txt");
        assertRefused(cursor, space, "/other/", "");
        assertRefused(cursor, space, "/docs/", "a");
        assertRefused(cursor, new FileSpace("acc_1", "ftp_2"), "/docs/", "");
        assertRefused(cursor, new FileSpace("acc_2", "ftp_1"), "/docs/", "");
        ListCursor otherSecret = new ListCursor(Config.of(Map.of(Config.CURSOR_SECRET, "secret-two")));
        assertThatThrownBy(() -> otherSecret.open(cursor, space, "/docs/", "")).isInstanceOf(InvalidInputException.class);
    }

    @Test
    void anAlteredOrMalformedCursorIsRefused() {
        String cursor = cursors.issue(space, "/docs/", "", "a.txt");
        String otherPosition = cursors.issue(space, "/docs/", "", "b.txt");
        String spliced = otherPosition.substring(0, otherPosition.indexOf('.')) + cursor.substring(cursor.indexOf('.'));
        // The MAC's 32 bytes take 43 characters, the last of which carries 2 spare bits: flip one, same bytes.
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        char last = cursor.charAt(cursor.length() - 1);
        String spareBitsChanged = cursor.substring(0, cursor.length() - 1) + alphabet.charAt(alphabet.indexOf(last) ^ 1);
        for (String bad : new String[]{spliced, spareBitsChanged, "", ".", "abc", "a.b.c", cursor + "x", "!!!." + cursor}) {
            assertRefused(bad, space, "/docs/", "");
        }
    }

    private void assertRefused(String cursor, FileSpace where, String folder, String search) {
        assertThatThrownBy(() -> cursors.open(cursor, where, folder, search))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("cursor is not valid");
    }
}
