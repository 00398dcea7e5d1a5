package io.ballast.registry;

/** No schema with that id, or no such subject or version (HTTP 404). */
public final class SchemaNotFoundException extends RegistryException {
    private static final long serialVersionUID = 1L;

    public SchemaNotFoundException(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public boolean isTransient() {
        return false;
    }
}
