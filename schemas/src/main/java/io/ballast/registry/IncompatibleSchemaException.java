package io.ballast.registry;

/** The registry refused a schema (HTTP 409): it breaks the subject's compatibility rule. */
public final class IncompatibleSchemaException extends RegistryException {
    private static final long serialVersionUID = 1L;
    private final String subject;

    public IncompatibleSchemaException(String subject, String reason, Throwable cause) {
        super("schema refused for subject " + subject + " (409): " + reason
                + ". Changes must be BACKWARD compatible: add fields with defaults, do not remove or retype fields without defaults", cause);
        this.subject = subject;
    }

    public String subject() {
        return subject;
    }

    @Override
    public boolean isTransient() {
        return false;
    }
}
