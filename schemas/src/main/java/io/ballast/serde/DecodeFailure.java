package io.ballast.serde;

/** Why bytes could not be decoded into an event. Each is permanent: the same bytes fail again. */
public enum DecodeFailure {
    /** The first byte is not the wire format's magic byte 0: not written by a Confluent-format serializer. */
    WRONG_MAGIC_BYTE,
    /** Fewer bytes than the header, or the Avro body ends early. */
    TRUNCATED,
    /** The schema id is not known to the registry. */
    UNKNOWN_SCHEMA_ID,
    /** The writer's schema cannot be read as the expected event type. */
    SCHEMA_MISMATCH,
    /** The body does not decode with the writer's schema, or has bytes left over. */
    CORRUPT_PAYLOAD,
    /** The value decoded but breaks a rule of its event type (validation). */
    INVALID_EVENT
}
