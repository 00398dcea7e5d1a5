package io.ballast.store;

import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A catch-up subscription to the global log: delivers every event from a position on, in order, first
 * through history and then live, with no gap and no duplicate at the switch. It never holds a separate
 * live feed to splice: after each commit it reads the log from the next position it has not delivered,
 * so history and live are one sequence of reads.
 */
public final class Subscription implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Subscription.class);
    private static final int PAGE = 1000;

    private final EventStore store;
    private final Consumer<StoredEvent> handler;
    private final Semaphore committed = new Semaphore(0);
    private final Runnable listener = committed::release;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile long next;

    Subscription(EventStore store, long from, Consumer<StoredEvent> handler) {
        this.store = store;
        this.handler = handler;
        this.next = from;
        this.thread = new Thread(this::run, "ballast-store-subscription");
        store.onCommit(listener);
        thread.start();
    }

    /** The next position to deliver. */
    public long position() {
        return next;
    }

    private void run() {
        try {
            while (running) {
                List<StoredEvent> page = store.readAll(next, PAGE);
                for (StoredEvent e : page) {
                    handler.accept(e);
                    next = e.position() + 1;
                }
                if (page.size() < PAGE) {
                    // caught up: wait for the next commit (or a second, to notice close)
                    committed.tryAcquire(1, TimeUnit.SECONDS);
                    committed.drainPermits();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.error("subscription stopped at position {}: {}", next, e.toString(), e);
        }
    }

    @Override
    public void close() {
        running = false;
        store.removeCommitListener(listener);
        committed.release();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
