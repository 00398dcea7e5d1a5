package io.ballast.registry;

/** A schema registry call failed; the subclass says whether retrying can help. */
public abstract sealed class RegistryException extends RuntimeException
        permits RegistryUnavailableException, IncompatibleSchemaException, SchemaNotFoundException, RegistryRequestException {
    private static final long serialVersionUID = 1L;

    RegistryException(String message, Throwable cause) {
        super(message, cause);
    }

    /** True when the same call may succeed later (the registry is down or overloaded). */
    public abstract boolean isTransient();
}
