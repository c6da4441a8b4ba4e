package com.trueftp.files;

import com.trueftp.core.InvalidInputException;
import com.trueftp.core.RandomIds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PathPolicyTest {
    @ParameterizedTest
    @ValueSource(strings = {"/", "/docs/", "/docs/a.txt", "/a b/ü/é.csv", "/.hidden", "/a..b/c"})
    void acceptsAbsolutePathsWithOrdinarySegments(String path) {
        assertThat(PathPolicy.require(path, "path")).isEqualTo(path);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "docs/|path must start with /",
            "/a//b|path must not contain empty segments (//)",
            "//|path must not contain empty segments (//)",
            "/a/../b|path must not contain . or .. segments",
            "/./a|path must not contain . or .. segments",
            "/a/..|path must not contain . or .. segments",
            "/a\\b|path must not contain backslashes"})
    void rejectsWhatCouldEscapeOrConfuse(String path, String error) {
        assertThatThrownBy(() -> PathPolicy.require(path, "path")).isInstanceOf(InvalidInputException.class).hasMessage(error);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/a\u0000b", "/a\nb", "/a\u007fb"})
    void rejectsControlCharacters(String path) {
        assertThatThrownBy(() -> PathPolicy.require(path, "path")).hasMessage("path must not contain control characters");
    }

    @ParameterizedTest
    @ValueSource(ints = {975, 976})
    void acceptsAtMost975Bytes(int bytes) {
        String path = "/" + "é".repeat((bytes - 1) / 2) + "x".repeat((bytes - 1) % 2);
        if (bytes <= PathPolicy.MAX_BYTES) {
            assertThat(PathPolicy.require(path, "path")).isEqualTo(path);
        } else {
            assertThatThrownBy(() -> PathPolicy.require(path, "path")).hasMessage("path is longer than 975 bytes");
        }
    }

    @Test
    void theLongestPathMakesAKeyOfExactlyS3sLongest() {
        FileSpace space = new FileSpace(RandomIds.newId("acc"), RandomIds.newId("ftp"));
        String longest = "/" + "x".repeat(PathPolicy.MAX_BYTES - 1);
        assertThat(space.key(PathPolicy.require(longest, "path")).getBytes(StandardCharsets.UTF_8)).hasSize(1024);
    }

    @Test
    void aFolderIsMeasuredWithItsTrailingSlash() {
        String longest = "/" + "x".repeat(PathPolicy.MAX_BYTES - 1);
        assertThatThrownBy(() -> PathPolicy.folder(longest, "path")).hasMessage("path is longer than 975 bytes");
        String longestFolder = "/" + "x".repeat(PathPolicy.MAX_BYTES - 2) + "/";
        assertThat(PathPolicy.folder(longestFolder, "path")).isEqualTo(longestFolder);
    }

    @ParameterizedTest
    @CsvSource({"/, /", "/data, /data/", "/data/, /data/"})
    void foldersEndWithASlash(String path, String folder) {
        assertThat(PathPolicy.folder(path, "home_directory")).isEqualTo(folder);
    }

    @ParameterizedTest
    @CsvSource({"/, path must name a file", "/docs/, path must name a file"})
    void filesAreNotFolders(String path, String error) {
        assertThatThrownBy(() -> PathPolicy.file(path, "path")).hasMessageStartingWith(error);
    }

    @ParameterizedTest
    @CsvSource({"/docs/a.txt, a.txt", "/docs/, docs", "/a b/ü.csv, ü.csv", "/, ''"})
    void nameIsTheLastSegment(String path, String name) {
        assertThat(PathPolicy.name(path)).isEqualTo(name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/a\uFFFE", "/a\uFFFF", "/a\uFDD0", "/a\uD83F\uDFFF", "/a\uDBFF\uDFFF"})
    void rejectsNoncharactersWhichS3ListingsCannotCarryOrWhichBoundAListing(String path) {
        assertThatThrownBy(() -> PathPolicy.require(path, "path"))
                .hasMessage("path must not contain Unicode noncharacters such as U+FFFF");
        assertThat(PathPolicy.PAST_FOLDER).isEqualTo("\uDBFF\uDFFF");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/a\uFFFD", "/a\uDBFF\uDFFD", "/\uD83D\uDE00"})
    void acceptsOtherCodePointsUpToThePrivateUsePlanes(String path) {
        assertThat(PathPolicy.require(path, "path")).isEqualTo(path);
    }
}
