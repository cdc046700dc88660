package io.leadmkt.streams.api;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * The answer Jetty itself gives to what never reaches a route (an ambiguous or badly encoded path
 * such as {@code /v1/leads/%2e%2e}, a malformed request line): JSON like every other answer, naming
 * the path as what is wrong, instead of Jetty's HTML page.
 */
final class JettyJsonErrors extends ErrorHandler {

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                                    Callback callback) {
        String error = code == 400 ? "bad_request" : code == 404 ? "not_found" : code >= 500 ? "internal_error"
                : "http_" + code;
        // Jetty's reason names the rule broken (e.g. "Ambiguous URI path encoding"), never the request's text.
        String reason = message == null ? "" : message.replaceAll("[^A-Za-z0-9 .,:()-]", "");
        String body = "{\"error\":\"" + error + "\"" + (code == 400 ? ",\"parameter\":\"path\"" : "")
                + (reason.isEmpty() ? "" : ",\"message\":\"" + reason.substring(0, Math.min(100, reason.length())) + "\"")
                + "}";
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.write(true, ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), callback);
    }
}
