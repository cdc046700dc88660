package io.leadmkt.connector.integration;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.leadmkt.connector.limits.BuyerLimits;
import java.util.List;
import java.util.Map;

/**
 * A buyer's own ping/post API, as configuration: how to render each request, how to authenticate
 * it and how to read the answer. Parsed and validated by {@link IntegrationParser} against the
 * published schema {@code leadmkt/buyer-integration.schema.json}, which documents every field.
 *
 * @param ping   the ping request and answer; its fields may name PII-free sources only; null (together
 *               with {@code post}): the buyer speaks the built-in JSON protocol
 * @param post   the post request and answer; its fields may also name contact, consent, token and price
 * @param auth   how every request to this buyer proves it is ours; null: none
 * @param limits how hard the connector may call this buyer; null: the defaults
 * @param deletionUrl where the buyer is told, signed with {@code auth}, that a consumer whose lead it
 *                    bought asked to be deleted; null: it cannot be told (the deletion's status says so)
 */
public record Integration(Template ping, Template post, Auth auth, Limits limits, String deletionUrl) {

    /** Whether the document describes the buyer's own API, rather than only its limits. */
    public boolean hasTemplates() {
        return ping != null && post != null;
    }

    /** The limits to apply, the defaults filling in whatever the document leaves out. */
    public BuyerLimits buyerLimits() {
        return limits == null ? BuyerLimits.DEFAULTS : limits.orDefaults();
    }

    /**
     * Per-buyer limits as written; every field optional (see the schema for their meaning).
     */
    public record Limits(Integer maxConcurrent, Double pingsPerSecond, Integer pauseAfterErrors, Long pauseForMs) {

        public BuyerLimits orDefaults() {
            BuyerLimits d = BuyerLimits.DEFAULTS;
            return new BuyerLimits(maxConcurrent == null ? d.maxConcurrent() : maxConcurrent,
                    pingsPerSecond == null ? d.pingsPerSecond() : pingsPerSecond,
                    pauseAfterErrors == null ? d.pauseAfterErrors() : pauseAfterErrors,
                    pauseForMs == null ? d.pauseForMs() : pauseForMs);
        }
    }

    /** The body or query formats a request can take. */
    public enum Format { JSON, XML, FORM, QUERY }

    /** The formats an answer can be read in. */
    public enum AnswerKind { JSON, XML, REGEX }

    public enum AuthType { BASIC, BEARER, HEADER, HMAC }

    /**
     * One request and how to read its answer.
     *
     * @param method   HTTP method; default POST, or GET for the query format
     * @param url      overrides the buyer's pingUrl/postUrl when set
     * @param format   how the fields travel
     * @param headers  static request headers
     * @param fields   the fields to send, in order
     * @param xmlRoot  the root element of an XML body; default {@code request}
     * @param response how to read the answer
     */
    public record Template(String method, String url, Format format, Map<String, String> headers, List<Field> fields,
                           String xmlRoot, Response response) {

        public Template {
            format = format == null ? Format.JSON : format;
            headers = headers == null ? Map.of() : Map.copyOf(headers);
            fields = fields == null ? List.of() : List.copyOf(fields);
            xmlRoot = xmlRoot == null ? "request" : xmlRoot;
            method = method == null ? (format == Format.QUERY ? "GET" : "POST") : method.toUpperCase(java.util.Locale.ROOT);
        }
    }

    /**
     * One field of a request.
     *
     * @param to           where it goes: a dotted path (JSON, XML) or a parameter name (form, query)
     * @param from         the lead value it takes (see the schema for the allowed sources)
     * @param value        a static value instead of {@code from}
     * @param map          translates source values, e.g. {@code true → Y}; values not listed pass unchanged
     * @param defaultValue used when the source has no value; without it the field is left out
     * @param type         JSON type of the value: string (default), number or boolean
     */
    public record Field(String to, String from, String value, Map<String, String> map,
                        @JsonProperty("default") String defaultValue, String type) {

        public Field {
            map = map == null ? Map.of() : Map.copyOf(map);
        }
    }

    /**
     * How to read an answer. The token of a ping answer is echoed on the post; the token of a post
     * answer is the buyer's own lead id.
     *
     * @param kind    how the body is read
     * @param success when the buyer said yes; null: any 2xx answer with a price (ping) or any 2xx (post)
     * @param price   where the price is (required on pings)
     * @param token   where the ping token or the buyer's lead id is
     * @param reason  where the buyer's reason for a no is
     */
    public record Response(AnswerKind kind, Success success, Extract price, Extract token, Extract reason) {

        public Response {
            kind = kind == null ? AnswerKind.JSON : kind;
        }
    }

    /**
     * A success rule: the value at {@code path} (or the regex {@code pattern}'s group) equals
     * {@code equals} (ignoring case), and/or the HTTP status is {@code status}.
     */
    public record Success(String path, String pattern, String equals, Integer status) {
    }

    /** Where a value is: a JSON path ({@code $.a.b[0]}) or pointer ({@code /a/b}), an XPath, or a regex with one group. */
    public record Extract(String path, String pattern) {
    }

    /** Credentials; which ones are used depends on {@code type}. */
    public record Auth(AuthType type, String username, String password, String token, String header, String value,
                       String secret, String signatureHeader, String timestampHeader) {

        public Auth {
            signatureHeader = signatureHeader == null ? "X-Leadmkt-Signature" : signatureHeader;
            timestampHeader = timestampHeader == null ? "X-Leadmkt-Timestamp" : timestampHeader;
        }
    }
}
