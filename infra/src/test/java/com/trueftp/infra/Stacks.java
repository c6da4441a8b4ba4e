package com.trueftp.infra;

import com.trueftp.core.Json;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.assertions.Template;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/** Builds the stack as `cdk synth` does: with cdk.json's context (feature flags) plus the test's own. */
final class Stacks {
    private Stacks() {
    }

    static Map<String, Object> cdkJsonContext() {
        try {
            @SuppressWarnings("unchecked")
            Map<String, Object> context = (Map<String, Object>) Json.readObject(
                    Files.readString(Path.of("cdk.json"))).get("context");
            return new TreeMap<>(context);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static App app(Map<String, ?> extraContext, Path outdir) {
        Map<String, Object> context = cdkJsonContext();
        context.putAll(extraContext);
        AppProps.Builder props = AppProps.builder().context(context);
        if (outdir != null) {
            props.outdir(outdir.toString());
        }
        return new App(props.build());
    }

    static Template template(Map<String, ?> extraContext) {
        return Template.fromStack(TrueFtpApp.create(app(extraContext, null)));
    }

    static Template template() {
        return template(Map.of());
    }

    // ---- reading the template ----

    static Map<String, Map<String, Object>> resources(Template template, String type) {
        return new TreeMap<>(template.findResources(type));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> properties(Map<String, Object> resource) {
        return (Map<String, Object>) resource.get("Properties");
    }

    @SuppressWarnings("unchecked")
    static Object at(Object node, String... keys) {
        Object current = node;
        for (String key : keys) {
            current = current instanceof Map<?, ?> map ? ((Map<String, Object>) map).get(key) : null;
        }
        return current;
    }

    /** The logical id in {"Ref": id} or {"Fn::GetAtt": [id, attr]}. */
    static String referencedId(Object reference) {
        if (reference instanceof Map<?, ?> map) {
            if (map.get("Ref") != null) {
                return map.get("Ref").toString();
            }
            if (map.get("Fn::GetAtt") instanceof List<?> getAtt) {
                return getAtt.get(0).toString();
            }
        }
        return null;
    }

    /** Logical id of the function with this handler. */
    static String functionId(Template template, String handler) {
        return resources(template, "AWS::Lambda::Function").entrySet().stream()
                .filter(e -> Objects.equals(properties(e.getValue()).get("Handler"), handler))
                .map(Map.Entry::getKey).findFirst()
                .orElseThrow(() -> new AssertionError("no function with handler " + handler));
    }
}
