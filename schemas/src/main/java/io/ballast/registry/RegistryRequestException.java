package io.ballast.registry;

/** The registry refused a request for another reason (a 4xx other than 404 and 409, e.g. an invalid schema). */
public final class RegistryRequestException extends RegistryException {
    private static final long serialVersionUID = 1L;

    public RegistryRequestException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public boolean isTransient() {
        return false;
    }
}
