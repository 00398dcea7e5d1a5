package io.ballast.cache;

/** Reads a value from the source of truth on a cache miss. */
@FunctionalInterface
public interface Loader {
    Loaded load() throws Exception;
}
