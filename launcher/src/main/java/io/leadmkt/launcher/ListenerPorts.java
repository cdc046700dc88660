package io.leadmkt.launcher;

import java.io.BufferedReader;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Ports for listeners that must be named before they are bound: a KRaft node's controller and
 * broker listeners (its voters are configured up front, and a node restarted keeps its ports), and
 * the ports the process bench hands to the processes it starts.
 *
 * <p>Not a port the kernel picks ({@code bind(0)}): that comes from the kernel's ephemeral range, goes
 * back to it when the probe closes, and the next outgoing connection of this or any other process — a
 * parallel test fork's Kafka clients open hundreds — may take it as its local port before the broker
 * binds it. CI saw exactly that: a controller failed to bind its port, and Kafka's fault handler halted
 * the test JVM. Below the ephemeral range only another listener can hold a port, and a probe bind
 * sees that; a port is handed out once per JVM.
 */
final class ListenerPorts {
    /** The lowest port handed out: clear of the well-known and most registered service ports. */
    static final int LOWEST = 10_000;
    /** Where the kernel's ephemeral range starts when it cannot be read (Linux's default). */
    static final int DEFAULT_EPHEMERAL_LOW = 32_768;
    private static final Path LINUX_EPHEMERAL_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
    private static final int ATTEMPTS = 200;
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    private ListenerPorts() {
    }

    /** A loopback port nothing listens on now, below the ephemeral range, not handed out before in this JVM. */
    static int free() throws IOException {
        return free(ephemeralLow());
    }

    static int free(int ephemeralLow) throws IOException {
        int highest = ephemeralLow - 1;
        if (highest - LOWEST >= 1_000) {
            for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
                int port = ThreadLocalRandom.current().nextInt(LOWEST, highest + 1);
                if (HANDED_OUT.add(port) && bindable(port)) {
                    return port;
                }
            }
        }
        // A kernel whose ephemeral range starts low, or a crowded machine: the kernel's pick, as before.
        try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getByName(KafkaNode.LOOPBACK))) {
            HANDED_OUT.add(socket.getLocalPort());
            return socket.getLocalPort();
        }
    }

    /** The first port of the kernel's ephemeral range (Linux's setting; {@link #DEFAULT_EPHEMERAL_LOW} elsewhere). */
    static int ephemeralLow() {
        // A line read, not Files.readString: procfs reports a size of 0, and JDK 17's readString then
        // returned the first byte only ("3").
        try (BufferedReader in = Files.newBufferedReader(LINUX_EPHEMERAL_RANGE)) {
            return parseEphemeralLow(in.readLine());
        } catch (IOException | RuntimeException e) {
            return DEFAULT_EPHEMERAL_LOW;
        }
    }

    /** The low end of {@code ip_local_port_range}'s "low<whitespace>high". */
    static int parseEphemeralLow(String range) {
        return Integer.parseInt(range.trim().split("\\s+")[0]);
    }

    private static boolean bindable(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getByName(KafkaNode.LOOPBACK), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
