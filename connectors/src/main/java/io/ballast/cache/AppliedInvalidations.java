package io.ballast.cache;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.JedisPubSub;

/**
 * The invalidations the Redis sink applies, as its script announces each on {@value #CHANNEL}
 * ({@code "ENTITY VERSION REMOVED"}): for a near cache to drop what Redis dropped, or to time a change's way to Redis.
 * A subscription listens on a thread of its own until it is closed; Redis pub/sub does not keep messages, so only
 * invalidations applied while it is subscribed arrive.
 */
public final class AppliedInvalidations implements AutoCloseable {
    /** The channel the sink's script publishes on. */
    public static final String CHANNEL = "ballast:invalidations";

    /** One applied invalidation: the changed entity, its version and how many cached entries it removed. */
    public record Applied(String entity, long version, long removed) {
        /** Parses an announcement; the entity is everything before the last two fields. */
        public static Applied parse(String message) {
            int removedAt = message.lastIndexOf(' ');
            int versionAt = removedAt < 0 ? -1 : message.lastIndexOf(' ', removedAt - 1);
            if (versionAt <= 0) {
                throw new IllegalArgumentException("not an 'ENTITY VERSION REMOVED' announcement: '" + message + "'");
            }
            return new Applied(message.substring(0, versionAt), Long.parseLong(message.substring(versionAt + 1, removedAt)),
                    Long.parseLong(message.substring(removedAt + 1)));
        }
    }

    private final JedisPubSub subscription;
    private final Thread thread;

    private AppliedInvalidations(JedisPubSub subscription, Thread thread) {
        this.subscription = subscription;
        this.thread = thread;
    }

    /**
     * Subscribes to {@code redis} and hands each applied invalidation to {@code listener} (on the subscription's
     * thread), once the subscription is in place.
     *
     * @throws IllegalStateException if the subscription is not in place within {@code timeout}
     */
    public static AppliedInvalidations subscribe(URI redis, Consumer<Applied> listener, Duration timeout) throws InterruptedException {
        CountDownLatch subscribed = new CountDownLatch(1);
        JedisPubSub subscription = new JedisPubSub() {
            @Override
            public void onMessage(String channel, String message) {
                listener.accept(Applied.parse(message));
            }

            @Override
            public void onSubscribe(String channel, int count) {
                subscribed.countDown();
            }
        };
        Thread thread = new Thread(() -> {
            try (JedisPooled client = new JedisPooled(redis)) {
                client.subscribe(subscription, CHANNEL);
            }
        }, "applied-invalidations");
        thread.setDaemon(true);
        thread.start();
        if (!subscribed.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("not subscribed to " + CHANNEL + " on " + redis + " within " + timeout);
        }
        return new AppliedInvalidations(subscription, thread);
    }

    /** Unsubscribes and waits for the listening thread to end. */
    @Override
    public void close() throws InterruptedException {
        subscription.unsubscribe();
        thread.join(TimeUnit.SECONDS.toMillis(10));
    }
}
