package io.ballast.store.fault;

import java.nio.file.Path;

import io.ballast.embedded.EmbeddedKafka;

/**
 * The broker of {@link BrokerKillTest} in a process of its own, so that it can be killed with SIGKILL: a KRaft
 * broker on the given ports with its data in the given directory (kept across restarts). Prints {@code READY}.
 */
public final class BrokerChild {
    private BrokerChild() {
    }

    public static void main(String[] args) throws Exception {
        EmbeddedKafka.start(Path.of(args[0]), Integer.parseInt(args[1]), Integer.parseInt(args[2]));
        System.out.println("READY");
        System.out.flush();
        Thread.currentThread().join();
    }
}
