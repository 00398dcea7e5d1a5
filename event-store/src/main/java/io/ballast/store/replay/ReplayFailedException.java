package io.ballast.store.replay;

/** A replay some of whose sends Kafka did not acknowledge: how many were, and the first that failed with its reason. */
public final class ReplayFailedException extends RuntimeException {
    private final String replayId;
    private final long acknowledged;
    private final long sent;

    ReplayFailedException(String replayId, long acknowledged, long sent, long firstFailedPosition, String reason) {
        super("replay " + replayId + " published " + acknowledged + " of " + sent + " events; the first that failed, at position "
                + firstFailedPosition + ": " + reason);
        this.replayId = replayId;
        this.acknowledged = acknowledged;
        this.sent = sent;
    }

    public String replayId() {
        return replayId;
    }

    public long acknowledged() {
        return acknowledged;
    }

    public long sent() {
        return sent;
    }
}
