package com.trueftp.testing;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.MissingNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Checks requests and responses against an OpenAPI 3.1 document: operations, statuses, query parameters,
 * headers and JSON bodies (JSON Schema 2020-12, validated by networknt json-schema-validator 3.x). Every method
 * returns human-readable problems, empty when the message matches the document. Multipart and binary bodies are
 * checked for their content type only. Needs com.networknt:json-schema-validator (it brings Jackson 3 and its
 * YAML parser), which each module that uses this class declares for its tests.
 */
public final class OpenApiContract {
    /** Where the document is registered; $refs such as #/components/schemas/X resolve against it. */
    private static final String DOCUMENT_IRI = "https://openapi.invalid/openapi.json";
    private static final String INLINE = "x-contract-inline";
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");
    private static final JsonMapper JSON = new JsonMapper();

    private final ObjectNode document;
    private final SchemaRegistry registry;
    /** Each schema object of the document and the key it has under {@link #INLINE}. */
    private final IdentityHashMap<JsonNode, String> inlineKeys = new IdentityHashMap<>();
    private final Map<String, Schema> compiled = new ConcurrentHashMap<>();

    public OpenApiContract(Path yaml) throws IOException {
        document = (ObjectNode) new YAMLMapper().readTree(Files.readString(yaml));
        // networknt loads a schema by its location in a document, and a JSON pointer into /paths or /responses
        // has segments such as {id} or 200 that it mangles (numbers become array indexes). So every schema
        // object is also placed at a plain pointer of its own, #/x-contract-inline/sN, in the same document.
        ObjectNode inline = JsonNodeFactory.instance.objectNode();
        collectSchemas(document, inline);
        document.set(INLINE, inline);
        registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
                builder -> builder.schemas(Map.of(DOCUMENT_IRI, document.toString())));
    }

    /** Every operation as "METHOD /path", e.g. "GET /ftp-users/{id}". */
    public Set<String> operations() {
        Set<String> operations = new TreeSet<>();
        document.path("paths").properties().forEach(path -> path.getValue().propertyNames().stream()
                .filter(METHODS::contains)
                .forEach(method -> operations.add(method.toUpperCase(Locale.ROOT) + " " + path.getKey())));
        return operations;
    }

    /** The scope an operation documents in {@code x-required-scope}, or "none" when it has none (public). */
    public String requiredScope(String method, String pathTemplate) {
        return document.path("paths").path(pathTemplate).path(method.toLowerCase(Locale.ROOT))
                .path("x-required-scope").asString("none");
    }

    public List<String> validateRequest(String method, String pathTemplate, Map<String, String> query,
                                        String contentType, byte[] body) {
        List<String> problems = new ArrayList<>();
        JsonNode operation = document.path("paths").path(pathTemplate).path(method.toLowerCase(Locale.ROOT));
        if (operation.isMissingNode()) {
            return List.of("unknown operation " + method + " " + pathTemplate);
        }
        Map<String, JsonNode> documented = queryParameters(pathTemplate, operation);
        query.keySet().stream().filter(name -> !documented.containsKey(name))
                .forEach(name -> problems.add("undocumented query parameter " + name));
        documented.forEach((name, parameter) -> {
            String value = query.get(name);
            if (value == null && parameter.path("required").asBoolean(false)) {
                problems.add("missing required query parameter " + name);
            } else if (value != null) {
                validate("query parameter " + name, parameter.path("schema"), fromString(parameter.path("schema"), value), problems);
            }
        });
        JsonNode requestBody = deref(operation.path("requestBody"));
        boolean hasBody = body != null && body.length > 0;
        if (requestBody.isMissingNode() && hasBody) {
            problems.add("request body sent, but the operation documents none");
        } else if (!requestBody.isMissingNode() && !hasBody && requestBody.path("required").asBoolean(false)) {
            problems.add("missing required request body");
        } else if (!requestBody.isMissingNode() && hasBody) {
            validateBody("request body", requestBody.path("content"), contentType, body, problems);
        }
        return problems;
    }

    public List<String> validateResponse(String method, String pathTemplate, int status,
                                         Map<String, List<String>> headers, String contentType, byte[] body) {
        List<String> problems = new ArrayList<>();
        JsonNode pathItem = document.path("paths").path(pathTemplate);
        JsonNode operation = pathItem.path(method.toLowerCase(Locale.ROOT));
        JsonNode response;
        if (operation.isMissingNode()) {
            // A method a path lacks is answered 405, which no operation can list: the document keeps that
            // answer as components/responses/MethodNotAllowed.
            JsonNode notAllowed = document.path("components").path("responses").path("MethodNotAllowed");
            if (pathItem.isMissingNode() || status != 405 || notAllowed.isMissingNode()) {
                return List.of("unknown operation " + method + " " + pathTemplate);
            }
            response = notAllowed;
        } else {
            JsonNode responses = operation.path("responses");
            response = deref(firstPresent(responses.path(Integer.toString(status)),
                    responses.path(status / 100 + "XX"), responses.path("default")));
            if (response.isMissingNode()) {
                return List.of("undocumented status " + status + " for " + method + " " + pathTemplate);
            }
        }
        response.path("headers").properties().forEach(entry -> {
            JsonNode header = deref(entry.getValue());
            String value = headerValue(headers, entry.getKey());
            if (value == null && header.path("required").asBoolean(false)) {
                problems.add("missing required header " + entry.getKey());
            } else if (value != null) {
                validate("header " + entry.getKey(), header.path("schema"), fromString(header.path("schema"), value), problems);
            }
        });
        JsonNode content = response.path("content");
        boolean hasBody = body != null && body.length > 0;
        if (content.isEmpty() && hasBody) {
            problems.add("status " + status + " has a body, but the document gives it none");
        } else if (!content.isEmpty() && !hasBody) {
            problems.add("status " + status + " has no body, but the document gives it one");
        } else if (hasBody) {
            validateBody("response body", content, contentType, body, problems);
        }
        return problems;
    }

    /** Only the content type is checked for multipart and binary bodies; JSON ones are validated too. */
    private void validateBody(String what, JsonNode content, String contentType, byte[] body, List<String> problems) {
        String mediaType = contentType == null ? "" : contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        JsonNode media = MissingNode.getInstance();
        for (var entry : content.properties()) {
            if (entry.getKey().equalsIgnoreCase(mediaType)) {
                media = entry.getValue();
            }
        }
        if (media.isMissingNode()) {
            problems.add(what + ": content type " + contentType + " is not documented " + content.propertyNames());
        } else if (mediaType.equals("application/json") || mediaType.endsWith("+json")) {
            try {
                validate(what, media.path("schema"), JSON.readTree(body), problems);
            } catch (JacksonException e) {
                problems.add(what + " is not valid JSON: " + e.getOriginalMessage());
            }
        }
    }

    private void validate(String what, JsonNode schemaNode, JsonNode instance, List<String> problems) {
        String key = inlineKeys.get(schemaNode);
        if (key == null) {
            return; // no schema documented
        }
        Schema schema = compiled.computeIfAbsent(key,
                k -> registry.getSchema(SchemaLocation.of(DOCUMENT_IRI + "#/" + INLINE + "/" + k)));
        for (Error error : schema.validate(instance,
                context -> context.executionConfig(config -> config.formatAssertionsEnabled(true)))) {
            problems.add(what + ": " + error);
        }
    }

    /** Query and header values are strings on the wire; read them as the schema's type (digits as a number...). */
    private JsonNode fromString(JsonNode schema, String value) {
        String type = deref(schema).path("type").asString("");
        if (type.equals("integer") || type.equals("number")) {
            if (value.matches("-?\\d+")) {
                return JsonNodeFactory.instance.numberNode(new BigInteger(value));
            }
            if (value.matches("-?\\d+\\.\\d+")) {
                return JsonNodeFactory.instance.numberNode(new BigDecimal(value));
            }
        } else if (type.equals("boolean") && (value.equals("true") || value.equals("false"))) {
            return JsonNodeFactory.instance.booleanNode(Boolean.parseBoolean(value));
        }
        return JsonNodeFactory.instance.stringNode(value); // anything else is then reported as the wrong type
    }

    /** The path's and the operation's query parameters by name (the operation's override the path's). */
    private Map<String, JsonNode> queryParameters(String pathTemplate, JsonNode operation) {
        Map<String, JsonNode> parameters = new LinkedHashMap<>();
        List<JsonNode> all = new ArrayList<>(document.path("paths").path(pathTemplate).path("parameters").values());
        all.addAll(operation.path("parameters").values());
        for (JsonNode parameter : all) {
            JsonNode resolved = deref(parameter);
            if (resolved.path("in").asString("").equals("query")) {
                parameters.put(resolved.path("name").asString(), resolved);
            }
        }
        return parameters;
    }

    /** Follows local $refs (#/components/...) to the object they name. */
    private JsonNode deref(JsonNode node) {
        while (node.path("$ref").asString("").startsWith("#/")) {
            node = document.at(node.path("$ref").asString().substring(1));
        }
        return node;
    }

    /** Registers every value of a "schema" field (outside components/schemas, which $refs reach anyway). */
    @SuppressWarnings("ReferenceEquality") // the document's own components node, not an equal one elsewhere
    private void collectSchemas(JsonNode node, ObjectNode inline) {
        for (var entry : node.properties()) {
            JsonNode value = entry.getValue();
            if (entry.getKey().equals("schema") && value.isObject()) {
                String key = "s" + inlineKeys.size();
                inlineKeys.put(value, key);
                inline.set(key, value);
            } else if (!(node == document.path("components") && entry.getKey().equals("schemas"))) {
                collectSchemas(value, inline);
            }
        }
        if (node.isArray()) {
            node.values().forEach(item -> collectSchemas(item, inline));
        }
    }

    private static JsonNode firstPresent(JsonNode... nodes) {
        for (JsonNode node : nodes) {
            if (!node.isMissingNode()) {
                return node;
            }
        }
        return MissingNode.getInstance();
    }

    private static String headerValue(Map<String, List<String>> headers, String name) {
        return headers.entrySet().stream()
                .filter(e -> e.getKey() != null && e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty())
                .map(e -> e.getValue().get(0)).findFirst().orElse(null);
    }
}
