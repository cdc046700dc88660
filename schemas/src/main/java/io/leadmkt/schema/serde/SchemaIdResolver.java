package io.leadmkt.schema.serde;

import org.apache.avro.Schema;

/**
 * Maps Avro schemas to the 4-byte ids of the Confluent wire format and back.
 *
 * <p>The default, {@link EmbeddedSchemaIdResolver}, needs no network: it knows the schemas shipped
 * in this jar. A registry-backed resolver (Confluent Schema Registry, Karapace, Apicurio's
 * compatible API) implements the same two calls over HTTP: {@code POST /subjects/{subject}/versions}
 * for {@link #idFor} and {@code GET /schemas/ids/{id}} for {@link #schemaFor}, caching both.
 */
public interface SchemaIdResolver {

    /** The id to write for {@code schema} when it is produced under {@code subject} (topic-value). */
    int idFor(String subject, Schema schema);

    /**
     * The writer schema for {@code id}.
     *
     * @throws UnknownSchemaException when the id is not known
     */
    Schema schemaFor(int id);
}
