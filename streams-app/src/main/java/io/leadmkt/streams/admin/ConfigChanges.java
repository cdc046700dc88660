package io.leadmkt.streams.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.leadmkt.schema.BuyerConfig;
import io.leadmkt.schema.CampaignConfig;
import io.leadmkt.schema.ConfigAction;
import io.leadmkt.schema.ConfigChange;
import io.leadmkt.schema.FieldChange;
import io.leadmkt.schema.SuppressionEntry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The audit record of one config change ({@link ConfigChange} on {@code config.changes}): who, when
 * and, field by field, what. Differences are computed on the documents ({@link ConfigDocuments#toJson})
 * so paths are the ones people write, as JSON pointers ({@code /caps/0/leads}); each changed leaf is one
 * {@link FieldChange}, a value only on one side (a new field, a longer list) is one change holding the
 * whole value. Inside {@code /integration}, the value of any key named like a secret (password, secret,
 * token, apiKey, key, authorization, credential), and {@code auth.value} (a custom auth header's value),
 * is written as {@code "***"}, as is the buyer's {@code /postbacks/secret}: a changed secret is still
 * listed, its values are not.
 */
public final class ConfigChanges {

    public static final String BUYER = "buyer";
    public static final String CAMPAIGN = "campaign";
    /** A suppression-list entry; its id is the identity hash, its document {kind, reason, source, expiresAt}. */
    public static final String SUPPRESSION = "suppression";
    /**
     * An HTTP API key; its id is the key id, its document {role, sourceIds, buyerId, label}: never the
     * key, nor its hash.
     */
    public static final String API_KEY = "apikey";
    /** {@code via} of {@code leadmkt config apply | delete}. */
    public static final String VIA_CONFIG_APPLY = "config-apply";
    /** {@code via} of {@code leadmkt keys create | revoke}. */
    public static final String VIA_KEYS_COMMAND = "keys-command";
    /** {@code via} of the admin HTTP API. */
    public static final String VIA_ADMIN_API = "admin-api";
    /** {@code via} of an opt-out posted back by a buyer or seller ({@code POST /v1/optouts}). */
    public static final String VIA_OPT_OUT = "optout-postback";

    static final String MASK = "***";
    private static final Pattern SECRET = Pattern.compile(
            "password|passwd|secret|token|apikey|key|authorization|credential", Pattern.CASE_INSENSITIVE);
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private ConfigChanges() {
    }

    /** Who applies, and through which road (a {@code VIA_} constant). */
    public record Author(String actor, String via) {
        public Author {
            actor = actor == null || actor.isBlank() ? "unknown" : actor.strip();
            via = via == null || via.isBlank() ? "unknown" : via;
        }
    }

    /** A buyer as the document its changes are computed on; null stays null (absent). */
    public static JsonNode document(BuyerConfig buyer) {
        return buyer == null ? null : ConfigDocuments.toJson(buyer);
    }

    /** A campaign as the document its changes are computed on; null stays null (absent). */
    public static JsonNode document(CampaignConfig campaign) {
        return campaign == null ? null : ConfigDocuments.toJson(campaign);
    }

    /**
     * A suppression entry as the document its changes are computed on: {@code {kind, reason, source,
     * expiresAt}} (the expiry as an ISO instant, absent when permanent). The hash is the change's id;
     * {@code addedAt} is left out so suppressing the same consumer for the same reason again is no
     * change. Null stays null (absent).
     */
    public static JsonNode document(SuppressionEntry entry) {
        if (entry == null) {
            return null;
        }
        ObjectNode document = NODES.objectNode().put("kind", entry.getKind());
        if (entry.getReason() != null) {
            document.put("reason", entry.getReason());
        }
        if (entry.getSource() != null) {
            document.put("source", entry.getSource());
        }
        if (entry.getExpiresAt() != null) {
            document.put("expiresAt", Instant.ofEpochMilli(entry.getExpiresAt()).toString());
        }
        return document;
    }

    /**
     * The change from {@code before} to {@code after} (either null: created or deleted), or empty when
     * the two documents are equal: an unchanged document is not a change.
     */
    public static Optional<ConfigChange> change(String kind, String id, JsonNode before, JsonNode after,
                                                Author author, long at) {
        if (before == null && after == null) {
            return Optional.empty();
        }
        List<FieldChange> fields = diff(before, after);
        if (before != null && after != null && fields.isEmpty()) {
            return Optional.empty();
        }
        ConfigAction action = before == null ? ConfigAction.CREATED
                : after == null ? ConfigAction.DELETED : ConfigAction.UPDATED;
        return Optional.of(ConfigChange.newBuilder().setKind(kind).setId(id).setAction(action)
                .setActor(author.actor()).setVia(author.via()).setAt(at).setChanges(fields).build());
    }

    /**
     * Field-level differences as JSON pointers; a null document counts as an empty one, so a created
     * document lists each of its fields and a deleted one each field it had.
     */
    public static List<FieldChange> diff(JsonNode before, JsonNode after) {
        List<FieldChange> out = new ArrayList<>();
        diff("", before == null ? NODES.objectNode() : before, after == null ? NODES.objectNode() : after, out);
        return out;
    }

    private static void diff(String path, JsonNode before, JsonNode after, List<FieldChange> out) {
        if (before != null && before.equals(after)) {
            return;
        }
        if (before != null && after != null && before.isObject() && after.isObject()) {
            // Document order for the fields both have and the new ones, then the ones removed.
            List<String> names = new ArrayList<>();
            after.fieldNames().forEachRemaining(names::add);
            for (Iterator<String> it = before.fieldNames(); it.hasNext(); ) {
                String name = it.next();
                if (!after.has(name)) {
                    names.add(name);
                }
            }
            for (String name : names) {
                diff(path + "/" + escape(name), before.get(name), after.get(name), out);
            }
            return;
        }
        if (before != null && after != null && before.isArray() && after.isArray()) {
            for (int i = 0; i < Math.max(before.size(), after.size()); i++) {
                diff(path + "/" + i, before.get(i), after.get(i), out);
            }
            return;
        }
        out.add(FieldChange.newBuilder().setPath(path.isEmpty() ? "/" : path)
                .setBefore(text(path, before)).setAfter(text(path, after)).build());
    }

    /** JSON pointer escaping (RFC 6901): {@code ~} as {@code ~0}, {@code /} as {@code ~1}. */
    static String escape(String name) {
        return name.replace("~", "~0").replace("/", "~1");
    }

    /** The value as JSON text, masked where it is or holds an integration secret; null when absent. */
    private static String text(String path, JsonNode value) {
        if (value == null) {
            return null;
        }
        if (under(path, "/postbacks")) {
            // its secret signs the buyer's postback URLs
            return (path.equals("/postbacks/secret") ? new TextNode(MASK) : masked(value)).toString();
        }
        if (!under(path, "/integration")) {
            return value.toString();
        }
        if (path.equals("/integration") && value.isTextual()) {
            // Not a JSON object (written to the topic by hand): no telling where its secrets are.
            return new TextNode(MASK).toString();
        }
        String[] segments = path.split("/");
        for (int i = 2; i < segments.length; i++) {
            if (secret(unescape(segments[i - 1]), unescape(segments[i])) && value.isValueNode()) {
                return new TextNode(MASK).toString();
            }
        }
        return masked(segments[segments.length - 1], value).toString();
    }

    private static boolean under(String path, String field) {
        return path.equals(field) || path.startsWith(field + "/");
    }

    private static String unescape(String segment) {
        return segment.replace("~1", "/").replace("~0", "~");
    }

    /** A copy of {@code value} with the scalar value of every secret-named key replaced by {@code "***"}. */
    public static JsonNode masked(JsonNode value) {
        return masked("", value);
    }

    private static JsonNode masked(String name, JsonNode value) {
        if (value.isObject()) {
            ObjectNode copy = NODES.objectNode();
            value.fields().forEachRemaining(e -> copy.set(e.getKey(),
                    secret(name, e.getKey()) && e.getValue().isValueNode() && !e.getValue().isNull()
                            ? new TextNode(MASK) : masked(e.getKey(), e.getValue())));
            return copy;
        }
        if (value.isArray()) {
            var copy = NODES.arrayNode();
            value.forEach(v -> copy.add(masked(name, v)));
            return copy;
        }
        return value;
    }

    /** Whether the value at {@code key} of an object held at {@code parent} is a secret. */
    static boolean secret(String parent, String key) {
        return SECRET.matcher(key.replaceAll("[^A-Za-z]", "")).find()
                || (parent.equals("auth") && key.equals("value"));
    }

    /**
     * One line per change, as {@code leadmkt config history} prints it:
     * {@code 2026-11-28T14:19:19.123Z alice config-apply buyer/acme UPDATED /minScore: 0 -> 30, /name: absent -> "Acme"}.
     */
    public static String describe(ConfigChange change) {
        StringBuilder line = new StringBuilder()
                .append(Instant.ofEpochMilli(change.getAt())).append(' ')
                .append(change.getActor()).append(' ')
                .append(change.getVia()).append(' ')
                .append(change.getKind()).append('/').append(change.getId()).append(' ')
                .append(change.getAction().name());
        String separator = " ";
        for (FieldChange field : change.getChanges()) {
            line.append(separator).append(field.getPath()).append(": ")
                    .append(field.getBefore() == null ? "absent" : field.getBefore())
                    .append(" -> ")
                    .append(field.getAfter() == null ? "absent" : field.getAfter());
            separator = ", ";
        }
        return line.toString();
    }

    /** The top-level document fields a change touches, in order: {@code minScore, caps}. */
    public static List<String> fields(ConfigChange change) {
        TreeSet<String> seen = new TreeSet<>();
        List<String> out = new ArrayList<>();
        for (FieldChange field : change.getChanges()) {
            String path = field.getPath();
            int end = path.indexOf('/', 1);
            String top = (end < 0 ? path.substring(1) : path.substring(1, end)).replace("~1", "/").replace("~0", "~");
            if (seen.add(top)) {
                out.add(top);
            }
        }
        return out;
    }
}
