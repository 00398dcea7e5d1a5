package io.ballast.cli;

/** What the command's exit status means. */
final class ExitCodes {
    /** Everything worked. */
    static final int OK = 0;
    /** The command ran, but some input was refused (each one reported). */
    static final int SOME_REFUSED = 1;
    /** The command could not run: a bad option, an unreachable broker or registry. */
    static final int FAILED = 2;

    private ExitCodes() {
    }
}
