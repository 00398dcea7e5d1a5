package io.ballast.supervise;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a background loop on a thread of its own and keeps it running: when the body throws, the failure is
 * logged, shown in {@link #status()} and passed to the listener, and the body is run again after a
 * {@link Backoff} delay (the body opens its resources afresh on each run). It stops only on {@link #close()}.
 */
public final class SupervisedLoop implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SupervisedLoop.class);

    /** One run of the loop: returns once {@code running} says false, or throws. */
    public interface Body {
        void run(BooleanSupplier running) throws Exception;

        /** Unblocks a run waiting in a call (a consumer's poll) when the loop closes. */
        default void wakeup() {
        }
    }

    private final Body body;
    private final Backoff backoff;
    private final Consumer<LoopStatus> onFailure;
    private final Clock clock;
    private final Thread thread;
    private final Object pause = new Object();
    private volatile boolean running = true;
    private volatile LoopStatus status;

    public SupervisedLoop(String name, Body body, Backoff backoff, Consumer<LoopStatus> onFailure) {
        this.body = body;
        this.backoff = backoff;
        this.onFailure = onFailure;
        this.clock = Clock.systemUTC();
        this.status = LoopStatus.starting(name);
        this.thread = new Thread(this::supervise, "ballast-" + name);
        this.thread.setDaemon(true);
    }

    public SupervisedLoop start() {
        thread.start();
        return this;
    }

    public LoopStatus status() {
        return status;
    }

    private void supervise() {
        int consecutive = 0;
        while (running) {
            long started = System.nanoTime();
            status = status.running();
            try {
                body.run(() -> running);
                if (running) {
                    throw new IllegalStateException(status.name() + " returned while it should run");
                }
            } catch (Exception | LinkageError | AssertionError e) {
                if (!running) {
                    break;
                }
                // a run that lasted longer than the longest wait was a good run: the next failure starts the backoff afresh
                consecutive = System.nanoTime() - started > backoff.max().toNanos() ? 1 : consecutive + 1;
                Duration delay = backoff.delay(consecutive);
                Instant now = clock.instant();
                status = status.failed(e, now, now.plus(delay));
                LOG.warn("{} failed; restarting in {} ms: {}", status.name(), delay.toMillis(), status.lastFailure(), e);
                notifyListener();
                pause(delay);
            }
        }
        status = status.stopped();
    }

    private void notifyListener() {
        try {
            onFailure.accept(status);
        } catch (RuntimeException e) {
            LOG.warn("the failure listener of {} threw: {}", status.name(), e.toString());
        }
    }

    private void pause(Duration delay) {
        long until = System.nanoTime() + delay.toNanos();
        synchronized (pause) {
            for (long left = delay.toNanos(); running && left > 0; left = until - System.nanoTime()) {
                try {
                    pause.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** Stops the loop and waits for its run to return (up to 30 s, then interrupts it). */
    @Override
    public void close() {
        running = false;
        synchronized (pause) {
            pause.notifyAll();
        }
        body.wakeup();
        try {
            thread.join(30_000);
            if (thread.isAlive()) {
                thread.interrupt();
                thread.join(5_000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        status = status.stopped();
    }
}
