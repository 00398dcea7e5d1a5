package io.ballast.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApicurioRegistryStartTest {

    @Test
    void aPortInUseIsRefusedRatherThanMistakenForTheNewRegistry(@TempDir Path dir) throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            EmbeddedStartException e = assertThrows(EmbeddedStartException.class, () -> ApicurioRegistry.start(dir, port, false));
            assertEquals("port " + port + " on 127.0.0.1 is in use (another 'ballast up'?); stop it or choose another registry port",
                    e.getMessage());
        }
    }
}
