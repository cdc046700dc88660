package io.leadmkt.connector.integration;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.NodePath;
import io.leadmkt.connector.integration.Integration.AnswerKind;
import io.leadmkt.connector.integration.Integration.Extract;
import io.leadmkt.connector.integration.Integration.Field;
import io.leadmkt.connector.integration.Integration.Format;
import io.leadmkt.connector.integration.Integration.Response;
import io.leadmkt.connector.integration.Integration.Template;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import javax.xml.xpath.XPathExpressionException;
import javax.xml.xpath.XPathFactory;

/**
 * Reads an integration document (JSON or YAML) into an {@link Integration}: first against the
 * published JSON Schema, then the checks a schema cannot express (regexes and XPaths compile,
 * extracts match the answer kind). Every problem is reported with the JSON path it is at.
 */
public final class IntegrationParser {

    /** The published schema, on the classpath. */
    public static final String SCHEMA_RESOURCE = "leadmkt/buyer-integration.schema.json";

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    private static final ObjectMapper YAML = YAMLMapper.builder().build();
    private static final Pattern XML_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]*");
    private static final Schema SCHEMA = loadSchema();
    private static final Pattern DEPENDENT_REQUIRED =
            Pattern.compile("missing property '([^']+)' which is dependent required because '([^']+)'");

    private IntegrationParser() {
    }

    /**
     * The integration described by {@code document}.
     *
     * @throws InvalidIntegrationException when it is not valid JSON/YAML or breaks the schema
     */
    public static Integration parse(String document) {
        JsonNode tree = readTree(document);
        List<String> errors = new ArrayList<>();
        for (Error error : SCHEMA.validate(tree.toString(), InputFormat.JSON)) {
            errors.add(describe(error));
        }
        if (!errors.isEmpty()) {
            throw new InvalidIntegrationException(errors);
        }
        Integration integration;
        try {
            integration = JSON.treeToValue(tree, Integration.class);
        } catch (JsonProcessingException e) {
            throw new InvalidIntegrationException(List.of("$: " + e.getOriginalMessage()));
        }
        check("$.ping", integration.ping(), errors);
        check("$.post", integration.post(), errors);
        if (!errors.isEmpty()) {
            throw new InvalidIntegrationException(errors);
        }
        return integration;
    }

    /** Every problem the published schema finds in {@code document}, none when it is valid. */
    public static List<String> schemaErrors(String document) {
        return SCHEMA.validate(readTree(document).toString(), InputFormat.JSON).stream()
                .map(IntegrationParser::describe).toList();
    }

    private static JsonNode readTree(String document) {
        if (document == null || document.isBlank()) {
            throw new InvalidIntegrationException(List.of("$: empty document"));
        }
        String trimmed = document.strip();
        try {
            JsonNode tree = trimmed.startsWith("{") ? JSON.readTree(trimmed) : YAML.readTree(trimmed);
            if (tree == null || !tree.isObject()) {
                throw new InvalidIntegrationException(List.of("$: not an object"));
            }
            return tree;
        } catch (IOException e) {
            String message = e instanceof JsonProcessingException p ? p.getOriginalMessage() : e.getMessage();
            throw new InvalidIntegrationException(List.of("$: not JSON or YAML: " + message));
        }
    }

    private static String describe(Error error) {
        NodePath location = error.getInstanceLocation();
        StringBuilder at = new StringBuilder("$");
        for (int i = 0; i < location.getNameCount(); i++) {
            Object element = location.getElement(i);
            if (element instanceof Integer index) {
                at.append('[').append(index).append(']');
            } else {
                at.append('.').append(element);
            }
        }
        if ("required".equals(error.getKeyword()) && error.getProperty() != null) {
            return at + "." + error.getProperty() + ": required";
        }
        String message = error.getMessage();
        Matcher dependent = DEPENDENT_REQUIRED.matcher(message);
        if ("dependentRequired".equals(error.getKeyword()) && dependent.find()) {
            // Name the missing property's own path, like a plain "required".
            return at + "." + dependent.group(1) + ": required when "
                    + dependent.group(2) + " is present";
        }
        String prefix = location + ": ";
        return at + ": " + (message.startsWith(prefix) ? message.substring(prefix.length()) : message);
    }

    private static void check(String at, Template template, List<String> errors) {
        if (template == null) {
            return;
        }
        if (template.format() == Format.XML) {
            if (!XML_NAME.matcher(template.xmlRoot()).matches()) {
                errors.add(at + ".xmlRoot: not an XML element name");
            }
            for (int i = 0; i < template.fields().size(); i++) {
                Field field = template.fields().get(i);
                for (String name : field.to().split("\\.", -1)) {
                    if (!XML_NAME.matcher(name).matches()) {
                        errors.add(at + ".fields[" + i + "].to: '" + field.to() + "' is not a dotted path of XML element names");
                        break;
                    }
                }
            }
        }
        Response response = template.response();
        AnswerKind kind = response.kind();
        if (response.success() != null) {
            Integration.Success success = response.success();
            if (success.path() == null && success.pattern() == null && success.status() == null) {
                errors.add(at + ".response.success: needs a path, a pattern or a status");
            }
            checkExtract(at + ".response.success", kind, success.path(), success.pattern(), errors);
        }
        checkExtract(at + ".response.price", kind, response.price(), errors);
        checkExtract(at + ".response.token", kind, response.token(), errors);
        checkExtract(at + ".response.reason", kind, response.reason(), errors);
    }

    private static void checkExtract(String at, AnswerKind kind, Extract extract, List<String> errors) {
        if (extract != null) {
            checkExtract(at, kind, extract.path(), extract.pattern(), errors);
        }
    }

    private static void checkExtract(String at, AnswerKind kind, String path, String pattern, List<String> errors) {
        if (path == null && pattern == null) {
            return;
        }
        if (kind == AnswerKind.REGEX) {
            if (pattern == null) {
                errors.add(at + ".pattern: required for a regex answer");
                return;
            }
            try {
                if (Pattern.compile(pattern).matcher("").groupCount() < 1) {
                    errors.add(at + ".pattern: needs one capture group");
                }
            } catch (PatternSyntaxException e) {
                errors.add(at + ".pattern: not a regex: " + e.getDescription());
            }
            return;
        }
        if (path == null) {
            errors.add(at + ".path: required for a " + kind.name().toLowerCase() + " answer");
            return;
        }
        if (kind == AnswerKind.JSON && !JsonPaths.isValid(path)) {
            errors.add(at + ".path: not a JSON path ($.a.b[0]) or pointer (/a/b/0): " + path);
        }
        if (kind == AnswerKind.XML) {
            try {
                XPathFactory.newInstance().newXPath().compile(path);
            } catch (XPathExpressionException e) {
                errors.add(at + ".path: not an XPath: " + path);
            }
        }
    }

    private static Schema loadSchema() {
        try (InputStream in = IntegrationParser.class.getClassLoader().getResourceAsStream(SCHEMA_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing " + SCHEMA_RESOURCE + " on the classpath");
            }
            return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(in, InputFormat.JSON);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
