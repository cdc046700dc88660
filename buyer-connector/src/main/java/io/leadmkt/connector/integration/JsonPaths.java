package io.leadmkt.connector.integration;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The small subset of JSON path buyers' answers need: {@code $.a.b[0].c} and {@code $['a b']},
 * or a JSON pointer {@code /a/b/0/c}. No wildcards or filters: an answer field is one value.
 */
final class JsonPaths {

    private static final Pattern SEGMENT = Pattern.compile("\\.([^.\\[\\]]+)|\\[(\\d+)]|\\['([^']*)']");

    private JsonPaths() {
    }

    static boolean isValid(String path) {
        if (path.startsWith("/")) {
            try {
                JsonPointer.compile(path);
                return true;
            } catch (IllegalArgumentException e) {
                return false;
            }
        }
        return segments(path).isPresent();
    }

    /** The node at {@code path}, empty when there is none (or it is JSON null). */
    static Optional<JsonNode> read(JsonNode root, String path) {
        JsonNode node;
        if (path.startsWith("/")) {
            node = root.at(path);
        } else {
            node = root;
            for (Object segment : segments(path).orElse(List.of())) {
                if (node == null) {
                    break;
                }
                node = segment instanceof Integer index ? node.get(index) : node.get((String) segment);
            }
        }
        return node == null || node.isMissingNode() || node.isNull() ? Optional.empty() : Optional.of(node);
    }

    /** Names (String) and indexes (Integer) of a {@code $...} path; empty when it is not one. */
    private static Optional<List<Object>> segments(String path) {
        if (!path.startsWith("$")) {
            return Optional.empty();
        }
        List<Object> segments = new ArrayList<>();
        Matcher m = SEGMENT.matcher(path);
        int at = 1;
        while (at < path.length()) {
            if (!m.find(at) || m.start() != at) {
                return Optional.empty();
            }
            if (m.group(1) != null) {
                segments.add(m.group(1));
            } else if (m.group(2) != null) {
                segments.add(Integer.valueOf(m.group(2)));
            } else {
                segments.add(m.group(3));
            }
            at = m.end();
        }
        return Optional.of(segments);
    }
}
