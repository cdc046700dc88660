package io.leadmkt.connector.integration;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.leadmkt.connector.integration.Integration.AnswerKind;
import io.leadmkt.connector.integration.Integration.Extract;
import io.leadmkt.connector.integration.Integration.Success;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.xpath.XPath;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathExpressionException;
import javax.xml.xpath.XPathFactory;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;
import org.xml.sax.helpers.DefaultHandler;

/**
 * One buyer answer body, parsed once in the way its template says, from which values are read
 * as text. Numbers come out as their exact decimal text (never through a double).
 */
public final class AnswerReader {

    /** Floats as BigDecimal so a price like 12.5 never passes through a double. */
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private final JsonNode json;
    private final Document xml;
    private final String text;

    private AnswerReader(JsonNode json, Document xml, String text) {
        this.json = json;
        this.xml = xml;
        this.text = text;
    }

    /** The body read as {@code kind}; empty when it is not that (HTML for JSON, truncated JSON, ...). */
    public static Optional<AnswerReader> of(AnswerKind kind, byte[] body) {
        if (body == null || body.length == 0) {
            return Optional.empty();
        }
        try {
            return switch (kind) {
                case JSON -> {
                    JsonNode node = JSON.readTree(body);
                    yield node != null && node.isContainerNode()
                            ? Optional.of(new AnswerReader(node, null, null)) : Optional.empty();
                }
                case XML -> Optional.of(new AnswerReader(null, xmlDocument(body), null));
                case REGEX -> Optional.of(new AnswerReader(null, null, new String(body, StandardCharsets.UTF_8)));
            };
        } catch (IOException | SAXException | ParserConfigurationException e) {
            return Optional.empty();
        }
    }

    /** The text at {@code extract}, empty when absent or blank. */
    public Optional<String> read(Extract extract) {
        return extract == null ? Optional.empty() : read(extract.path(), extract.pattern());
    }

    /** Whether the value a success rule points at equals its expected value (the status is the caller's). */
    public Optional<Boolean> matches(Success success) {
        if (success.path() == null && success.pattern() == null) {
            return Optional.of(true);
        }
        return read(success.path(), success.pattern()).map(v -> v.equalsIgnoreCase(success.equals().strip()));
    }

    private Optional<String> read(String path, String pattern) {
        String value;
        if (json != null) {
            value = JsonPaths.read(json, path).map(AnswerReader::text).orElse(null);
        } else if (xml != null) {
            value = xpath(path);
        } else {
            Matcher m = Pattern.compile(pattern).matcher(text);
            value = m.find() ? m.group(1) : null;
        }
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.strip());
    }

    private static String text(JsonNode node) {
        if (node.isNumber()) {
            return node.decimalValue().toPlainString();
        }
        return node.isValueNode() ? node.asText() : node.toString();
    }

    private String xpath(String path) {
        XPath xpath = XPathFactory.newInstance().newXPath();
        try {
            NodeList nodes = (NodeList) xpath.evaluate(path, xml, XPathConstants.NODESET);
            return nodes.getLength() == 0 ? null : nodes.item(0).getTextContent();
        } catch (XPathExpressionException notANodeSet) {
            try {
                return xpath.evaluate(path, xml);
            } catch (XPathExpressionException e) {
                return null;
            }
        }
    }

    /** A DOM of the buyer's XML, with DTDs and external entities refused (an answer must not read our files). */
    private static Document xmlDocument(byte[] body) throws ParserConfigurationException, SAXException, IOException {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        factory.setXIncludeAware(false);
        factory.setExpandEntityReferences(false);
        factory.setNamespaceAware(false);
        DocumentBuilder builder = factory.newDocumentBuilder();
        builder.setErrorHandler(new DefaultHandler()); // no "[Fatal Error]" on stderr: garbage is expected
        return builder.parse(new ByteArrayInputStream(body));
    }
}
