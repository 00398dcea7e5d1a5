package io.ballast.rebalance;

/** Resource names with a meaning of their own. */
public final class Resources {
    /** Disk, in bytes: consumed by each replica's {@link Shard#sizeBytes()}. */
    public static final String DISK = "disk";

    private Resources() {
    }
}
