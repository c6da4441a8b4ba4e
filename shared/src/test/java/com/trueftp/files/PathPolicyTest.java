package com.trueftp.files;

import com.trueftp.core.InvalidInputException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

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
    @ValueSource(ints = {1024, 1025})
    void acceptsAtMost1024Bytes(int bytes) {
        String path = "/" + "é".repeat((bytes - 1) / 2) + "x".repeat((bytes - 1) % 2);
        if (bytes <= PathPolicy.MAX_BYTES) {
            assertThat(PathPolicy.require(path, "path")).isEqualTo(path);
        } else {
            assertThatThrownBy(() -> PathPolicy.require(path, "path")).hasMessage("path is longer than 1024 bytes");
        }
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
