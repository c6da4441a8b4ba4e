package com.trueftp.core;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.util.Arrays;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JsonTest {
    @ParameterizedTest
    @ValueSource(strings = {"", "{", "[1,2]", "\"text\"", "42", "null", "{\"a\":1}{", "{\"a\":1,\"a\":2}", "{a:1}",
            "{\"a\":1} trailing"})
    void rejectsAnythingButOneWellFormedObject(String text) {
        assertThatThrownBy(() -> Json.readObject(text)).isInstanceOf(IOException.class);
    }

    @Test
    void readsNestedValues() throws IOException {
        assertThat(Json.readObject("{\"a\":{\"b\":[1,true,null,\"x\",2.5]}}"))
                .isEqualTo(Map.of("a", Map.of("b", Arrays.asList(1, true, null, "x", 2.5))));
    }

    @Test
    void writesNullsAndKeepsFieldOrder() {
        assertThat(Json.write(Json.object("z", 1, "a", null))).isEqualTo("{\"z\":1,\"a\":null}");
    }
}
