package io.ballast.store;

/** A write refused because the store's disk budget is used up; nothing of it was stored. Appends resume once there is room. */
public final class StoreFullException extends RuntimeException {
    public StoreFullException(String message) {
        super(message);
    }
}
