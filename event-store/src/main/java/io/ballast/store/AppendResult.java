package io.ballast.store;

/**
 * What an append did.
 *
 * @param firstPosition position of its first event
 * @param lastVersion   the stream's version after it
 * @param duplicate     true when every event was already there at the same place (a retry): nothing was written
 */
public record AppendResult(String stream, long firstPosition, long lastVersion, int events, boolean duplicate) {
}
