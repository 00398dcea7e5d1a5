package io.ballast.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.IntSupplier;
import java.util.stream.IntStream;

/** Finds a free TCP port on the loopback interface. */
public final class FreePort {
    /** How many of the ports it gave {@link #find()} does not give again: more than a test class starts servers. */
    private static final int REMEMBERED = 256;
    private static final Deque<Integer> RECENT = new ArrayDeque<>();

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

    /**
     * A port that was free a moment ago and that this process has not been given lately; a server binding it right
     * after almost always succeeds. A port chosen but not bound yet is free, so the probe alone can offer it twice and
     * put two servers (a test's brokers and registries, a server's two listeners) on one port.
     */
    public static int find() {
        synchronized (RECENT) {
            return unlike(RECENT, FreePort::probe);
        }
    }

    /** The first port {@code probe} offers that is not among the {@code recent} ones, which it then joins. */
    static int unlike(Deque<Integer> recent, IntSupplier probe) {
        while (true) {
            int port = probe.getAsInt();
            if (!recent.contains(port)) {
                recent.addLast(port);
                if (recent.size() > REMEMBERED) {
                    recent.removeFirst();
                }
                return port;
            }
        }
    }

    private static int probe() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on loopback", e);
        }
    }

    /**
     * A free port other than those {@code taken}, for ports given from elsewhere (a user's): {@link #find()} avoids
     * only the ports it gave itself.
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
