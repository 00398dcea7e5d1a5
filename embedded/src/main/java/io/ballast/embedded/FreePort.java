package io.ballast.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.function.IntSupplier;
import java.util.stream.IntStream;

/** Finds a free TCP port on the loopback interface. */
public final class FreePort {
    private FreePort() {
    }

    /** Whether nothing listens on {@code port} of the loopback interface. */
    public static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException inUse) {
            return false;
        }
    }

    /** A port that was free a moment ago; a server binding it right after almost always succeeds. */
    public static int find() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on loopback", e);
        }
    }

    /**
     * A free port other than those {@code taken}: a port chosen but not bound yet is free, so {@link #find()} can
     * return it again, and two servers of one process then end on the same port.
     */
    public static int findOtherThan(int... taken) {
        return otherThan(FreePort::find, taken);
    }

    static int otherThan(IntSupplier freePorts, int... taken) {
        while (true) {
            int port = freePorts.getAsInt();
            if (IntStream.of(taken).noneMatch(t -> t == port)) {
                return port;
            }
        }
    }
}
