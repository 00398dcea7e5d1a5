package io.ballast.store;

/** An append refused because the committer already has as many requests waiting as it takes; retry it shortly. Nothing was written. */
public final class StoreOverloadedException extends RuntimeException {
    public StoreOverloadedException(int waiting) {
        super("the store has " + waiting + " requests waiting to be written, its limit: retry the append shortly");
    }
}
