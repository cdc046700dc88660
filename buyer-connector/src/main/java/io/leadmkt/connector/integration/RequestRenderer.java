package io.leadmkt.connector.integration;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leadmkt.connector.integration.Integration.Field;
import io.leadmkt.connector.integration.Integration.Template;
import java.math.BigDecimal;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;

/** Turns a request template and the lead's values into the method, URL, content type and body to send. */
public final class RequestRenderer {

    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private RequestRenderer() {
    }

    /**
     * A rendered request, before headers and auth.
     *
     * @param signedContent what an HMAC signature covers: the body, or the query string of a GET
     */
    public record Rendered(String method, String url, String contentType, byte[] body, byte[] signedContent) {
    }

    public static Rendered render(Template template, String configuredUrl, Map<String, String> sources) {
        String url = template.url() != null ? template.url() : configuredUrl;
        Map<String, String> values = values(template, sources);
        return switch (template.format()) {
            case JSON -> body(template, url, "application/json", json(template, values));
            case XML -> body(template, url, "application/xml; charset=utf-8", xml(template.xmlRoot(), values));
            case FORM -> body(template, url, "application/x-www-form-urlencoded",
                    encoded(values).getBytes(StandardCharsets.UTF_8));
            case QUERY -> {
                String query = encoded(values);
                String full = query.isEmpty() ? url : url + (url.contains("?") ? "&" : "?") + query;
                yield new Rendered(template.method(), full, null, null, query.getBytes(StandardCharsets.UTF_8));
            }
        };
    }

    private static Rendered body(Template template, String url, String contentType, byte[] body) {
        return new Rendered(template.method(), url, contentType, body, body);
    }

    /** Each field's value, in template order; fields without a value (and no default) are left out. */
    private static Map<String, String> values(Template template, Map<String, String> sources) {
        Map<String, String> values = new LinkedHashMap<>();
        for (Field field : template.fields()) {
            String value = field.value();
            if (value == null && field.from() != null) {
                value = sources.get(field.from());
                if (value != null) {
                    value = field.map().getOrDefault(value, value);
                }
            }
            if (value == null || value.isEmpty()) {
                value = field.defaultValue();
            }
            if (value != null) {
                values.put(field.to(), value);
            }
        }
        return values;
    }

    private static byte[] json(Template template, Map<String, String> values) {
        Map<String, String> types = new LinkedHashMap<>();
        template.fields().forEach(f -> types.put(f.to(), f.type()));
        ObjectNode root = JSON.createObjectNode();
        values.forEach((to, value) -> {
            String[] path = to.split("\\.");
            ObjectNode parent = root;
            for (int i = 0; i < path.length - 1; i++) {
                JsonNode child = parent.get(path[i]);
                parent = child instanceof ObjectNode object ? object : parent.putObject(path[i]);
            }
            parent.set(path[path.length - 1], typed(value, types.get(to)));
        });
        try {
            return JSON.writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON tree", e);
        }
    }

    /** Numbers exactly (a score of 72, a price of 12.50); a value that is not one stays text. */
    private static JsonNode typed(String value, String type) {
        if ("number".equals(type)) {
            try {
                return JSON.getNodeFactory().numberNode(new BigDecimal(value));
            } catch (NumberFormatException e) {
                return JSON.getNodeFactory().textNode(value);
            }
        }
        if ("boolean".equals(type) && (value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false"))) {
            return JSON.getNodeFactory().booleanNode(Boolean.parseBoolean(value));
        }
        return JSON.getNodeFactory().textNode(value);
    }

    private static byte[] xml(String root, Map<String, String> values) {
        Map<String, Object> tree = new LinkedHashMap<>();
        values.forEach((to, value) -> {
            String[] path = to.split("\\.");
            Map<String, Object> parent = tree;
            for (int i = 0; i < path.length - 1; i++) {
                Object child = parent.get(path[i]);
                if (!(child instanceof Map)) {
                    child = new LinkedHashMap<String, Object>();
                    parent.put(path[i], child);
                }
                @SuppressWarnings("unchecked") Map<String, Object> next = (Map<String, Object>) child;
                parent = next;
            }
            parent.put(path[path.length - 1], value);
        });
        StringBuilder out = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
        element(out, root, tree);
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void element(StringBuilder out, String name, Object content) {
        out.append('<').append(name).append('>');
        if (content instanceof Map<?, ?> children) {
            children.forEach((child, value) -> element(out, (String) child, value));
        } else {
            escape(out, (String) content);
        }
        out.append("</").append(name).append('>');
    }

    private static void escape(StringBuilder out, String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&apos;");
                default -> {
                    if (c >= 0x20 || c == '\t' || c == '\n' || c == '\r') {
                        out.append(c);
                    }
                }
            }
        }
    }

    private static String encoded(Map<String, String> values) {
        StringJoiner joined = new StringJoiner("&");
        values.forEach((name, value) -> joined.add(URLEncoder.encode(name, StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(value, StandardCharsets.UTF_8)));
        return joined.toString();
    }
}
