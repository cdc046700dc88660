package io.leadmkt.streams.api;

import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

/** Request bodies read with a limit, so neither a lying Content-Length nor a chunked stream makes us buffer more. */
public final class RequestBodies {
    /** Beyond this a too-large body is not read to its end: the connection is dropped instead. */
    static final long MAX_DRAIN_BYTES = 4L * 1024 * 1024;

    private RequestBodies() {
    }

    /**
     * The body, or empty when it is larger than {@code maxBytes}. Reads at most one byte past the
     * limit; what a too-large request still sends is read and dropped (up to {@value #MAX_DRAIN_BYTES}
     * bytes), so the client finishes writing and reads our 413 instead of a broken pipe.
     */
    public static Optional<byte[]> bounded(Context ctx, int maxBytes) {
        try (InputStream in = ctx.bodyInputStream()) {
            if (ctx.req().getContentLengthLong() > maxBytes) {
                drain(in);
                return Optional.empty();
            }
            byte[] body = in.readNBytes(maxBytes + 1);
            if (body.length > maxBytes) {
                drain(in);
                return Optional.empty();
            }
            return Optional.of(body);
        } catch (IOException e) {
            throw new HttpResponseException(400, "body could not be read");
        }
    }

    private static void drain(InputStream in) throws IOException {
        long left = MAX_DRAIN_BYTES;
        byte[] sink = new byte[8192];
        int n;
        while (left > 0 && (n = in.read(sink, 0, (int) Math.min(sink.length, left))) > 0) {
            left -= n;
        }
    }
}
