package io.ballast.store;

/** An append whose expected version does not match its stream; nothing of it was written. */
public final class WrongExpectedVersionException extends RuntimeException {
    private final String stream;
    private final ExpectedVersion expected;
    private final long actual;

    public WrongExpectedVersionException(String stream, ExpectedVersion expected, long actual) {
        super("append to stream '" + stream + "' expected version " + expected + " but the stream is at "
                + (actual < 0 ? "no stream (-1)" : "version " + actual));
        this.stream = stream;
        this.expected = expected;
        this.actual = actual;
    }

    public String stream() {
        return stream;
    }

    public ExpectedVersion expected() {
        return expected;
    }

    /** The stream's last version, -1 when it does not exist. */
    public long actual() {
        return actual;
    }
}
