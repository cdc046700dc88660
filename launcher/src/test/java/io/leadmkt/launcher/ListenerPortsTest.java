package io.leadmkt.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ListenerPortsTest {

    @Test
    void shouldHandOutBindablePortsBelowTheEphemeralRangeWhenOneIsFree() throws Exception {
        int ephemeralLow = ListenerPorts.ephemeralLow();
        Set<Integer> ports = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            int port = ListenerPorts.free();
            assertThat(port).isBetween(ListenerPorts.LOWEST, ephemeralLow - 1);
            ports.add(port);
            // What the broker will do with it: bind it on loopback.
            try (ServerSocket socket = new ServerSocket()) {
                socket.bind(new InetSocketAddress(InetAddress.getByName(KafkaNode.LOOPBACK), port));
            }
        }
        assertThat(ports).as("a port is handed out once per JVM").hasSize(20);
    }

    @Test
    void shouldFallBackToTheKernelsPickWhenTheEphemeralRangeStartsTooLow() throws Exception {
        int port = ListenerPorts.free(ListenerPorts.LOWEST + 10);

        assertThat(port).isPositive();
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getByName(KafkaNode.LOOPBACK), port));
        }
    }

    @Test
    void shouldReadTheLowEndOfTheKernelsRangeWhenGivenLinuxsFormat() {
        assertThat(ListenerPorts.parseEphemeralLow("32768\t60999\n")).isEqualTo(32_768);
        assertThat(ListenerPorts.parseEphemeralLow(" 1024  65000")).isEqualTo(1_024);
    }
}
