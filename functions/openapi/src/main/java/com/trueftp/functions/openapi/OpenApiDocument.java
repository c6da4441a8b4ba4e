package com.trueftp.functions.openapi;

import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** docs/openapi.yaml, shipped in the jar, as the JSON object it describes (YAML is a superset of JSON's model). */
final class OpenApiDocument {
    static final String RESOURCE = "openapi.yaml";

    private OpenApiDocument() {
    }

    static Map<String, Object> load() {
        try (InputStream in = OpenApiDocument.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is not in the jar");
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> document = (Map<String, Object>) json(new Load(LoadSettings.builder().build())
                    .loadFromInputStream(in));
            return document;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** YAML keys may be numbers (response codes such as 200): JSON's are always strings. */
    private static Object json(Object yaml) {
        if (yaml instanceof Map<?, ?> map) {
            Map<String, Object> object = new LinkedHashMap<>();
            map.forEach((key, value) -> object.put(String.valueOf(key), json(value)));
            return object;
        }
        if (yaml instanceof List<?> list) {
            List<Object> array = new ArrayList<>();
            list.forEach(value -> array.add(json(value)));
            return array;
        }
        return yaml;
    }
}
