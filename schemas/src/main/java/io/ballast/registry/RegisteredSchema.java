package io.ballast.registry;

import org.apache.avro.Schema;

/**
 * A schema as the registry holds it.
 *
 * @param subject the subject it is registered under
 * @param id the global schema id written into every record
 * @param version its version within the subject
 * @param schema the schema
 */
public record RegisteredSchema(String subject, int id, int version, Schema schema) {
}
