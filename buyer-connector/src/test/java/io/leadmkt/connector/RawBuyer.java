package io.leadmkt.connector;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback buyer misbehaving below HTTP, where a mock server cannot: it accepts each connection,
 * reads the request head, then does what its {@link Behaviour} says. Connections it holds are
 * closed with it.
 */
public final class RawBuyer implements AutoCloseable {

    public enum Behaviour {
        /** Closes the connection without a byte of answer. */
        CLOSE_WITHOUT_ANSWER,
        /** Sends a 200 status line and headers promising a body, then never sends the body. */
        HEADERS_THEN_STALL,
        /** Answers in plain HTTP whatever arrives, so a TLS client gets no handshake. */
        PLAIN_HTTP
    }

    private final ServerSocket server;
    private final Behaviour behaviour;
    private final List<Socket> held = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    public RawBuyer(Behaviour behaviour) {
        this.behaviour = behaviour;
        try {
            this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.acceptor = new Thread(this::acceptAll, "raw-buyer-" + behaviour);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** The buyer's URL with {@code scheme} (http or https) and {@code path}. */
    public String url(String scheme, String path) {
        return scheme + "://127.0.0.1:" + server.getLocalPort() + path;
    }

    private void acceptAll() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                held.add(socket);
                serve(socket);
            } catch (IOException e) {
                // closed, or the client went away: next connection
            }
        }
    }

    private void serve(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        OutputStream out = socket.getOutputStream();
        switch (behaviour) {
            case CLOSE_WITHOUT_ANSWER -> {
                readHead(in);
                socket.close();
            }
            case HEADERS_THEN_STALL -> {
                readHead(in);
                out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n"
                        + "{\"bid\":").getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
            case PLAIN_HTTP -> {
                in.read(new byte[1024]);
                out.write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
                socket.close();
            }
            default -> throw new IllegalStateException("unexpected " + behaviour);
        }
    }

    /** Reads up to the blank line that ends a request head (the body, if any, is left unread). */
    private static void readHead(InputStream in) throws IOException {
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        int b;
        while (matched < end.length && (b = in.read()) != -1) {
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        for (Socket socket : held) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }
}
