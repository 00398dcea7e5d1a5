package io.ballast.store;

/** The store could not do what was asked (disk, RocksDB); what was acknowledged before stays. */
public final class StoreException extends RuntimeException {
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
