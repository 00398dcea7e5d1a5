package io.ballast.store;

import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import io.ballast.supervise.Backoff;
import io.ballast.supervise.LoopStatus;
import io.ballast.supervise.SupervisedLoop;

/**
 * A catch-up subscription to the global log: delivers every event from a position on, in order, first
 * through history and then live, with no gap and no duplicate at the switch. It never holds a separate
 * live feed to splice: after each commit it reads the log from the next position it has not delivered,
 * so history and live are one sequence of reads. When the handler (or a read) throws, the subscription is
 * supervised: it starts again, after a backoff, at the event that failed, and {@link #status()} says so.
 */
public final class Subscription implements AutoCloseable {
    private static final int PAGE = 1000;

    private final EventStore store;
    private final Consumer<StoredEvent> handler;
    private final Semaphore committed = new Semaphore(0);
    private final Runnable listener = committed::release;
    private final SupervisedLoop loop;
    private volatile long next;

    Subscription(EventStore store, long from, Consumer<StoredEvent> handler) {
        this.store = store;
        this.handler = handler;
        this.next = from;
        this.loop = new SupervisedLoop("store-subscription", new SupervisedLoop.Body() {
            @Override
            public void run(BooleanSupplier running) throws InterruptedException {
                deliver(running);
            }

            @Override
            public void wakeup() {
                committed.release();
            }
        }, Backoff.DEFAULT, status -> { });
        store.onCommit(listener);
        loop.start();
    }

    /** The next position to deliver. */
    public long position() {
        return next;
    }

    public LoopStatus status() {
        return loop.status();
    }

    private void deliver(BooleanSupplier running) throws InterruptedException {
        while (running.getAsBoolean()) {
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
    }

    @Override
    public void close() {
        store.removeCommitListener(listener);
        loop.close();
    }
}
