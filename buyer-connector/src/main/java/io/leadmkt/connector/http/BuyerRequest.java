package io.leadmkt.connector.http;

import java.util.Map;

/**
 * One HTTP request to a buyer, as an adapter describes it: no client objects, so adapters stay
 * pure functions that tests can compare field by field.
 *
 * @param method      HTTP method, e.g. POST
 * @param url         absolute http(s) URL
 * @param headers     extra request headers (the content type travels in {@code contentType})
 * @param contentType media type of the body, e.g. {@code application/json}
 * @param body        request body bytes
 */
public record BuyerRequest(String method, String url, Map<String, String> headers, String contentType, byte[] body) {

    public BuyerRequest {
        headers = Map.copyOf(headers);
    }

    public static BuyerRequest post(String url, Map<String, String> headers, String contentType, byte[] body) {
        return new BuyerRequest("POST", url, headers, contentType, body);
    }
}
