package io.ballast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.net.InetSocketAddress;

import org.junit.jupiter.api.Test;

/** The addresses of /proc/net/tcp and tcp6 as Linux writes them (each 32-bit word in little-endian order). */
class ListeningSocketsTest {
    @Test
    void readsLoopbackAndWildcardAddresses() throws Exception {
        assertEquals(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 8080), ListeningSockets.address("0100007F:1F90"));
        assertEquals(new InetSocketAddress(InetAddress.getByName("0.0.0.0"), 80), ListeningSockets.address("00000000:0050"));
        assertEquals(new InetSocketAddress(InetAddress.getByName("::1"), 8082),
                ListeningSockets.address("00000000000000000000000001000000:1F92"));
        assertEquals(new InetSocketAddress(InetAddress.getByName("::"), 9092),
                ListeningSockets.address("00000000000000000000000000000000:2384"));
        assertEquals(new InetSocketAddress(InetAddress.getByName("::ffff:127.0.0.1"), 7070),
                ListeningSockets.address("0000000000000000FFFF00000100007F:1B9E"));
    }
}
