package io.ballast.registry;

/** The registry did not answer, or answered 5xx, on every attempt. */
public final class RegistryUnavailableException extends RegistryException {
    private static final long serialVersionUID = 1L;
    private final String url;

    public RegistryUnavailableException(String url, int attempts, long elapsedMillis, Throwable cause) {
        super("the schema registry at " + url + " is unavailable: " + attempts + " attempt(s) over " + elapsedMillis
                + " ms failed, the last with: " + cause.getMessage()
                + ". Check that it runs (./ballast up starts one) and that schema.registry.url is right", cause);
        this.url = url;
    }

    /** The registry URL that was tried. */
    public String url() {
        return url;
    }

    @Override
    public boolean isTransient() {
        return true;
    }
}
