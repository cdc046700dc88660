package io.leadmkt.schema.serde;

import io.leadmkt.schema.SchemaCatalog;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;

/**
 * Schema ids without a registry: the id of a schema is the low 31 bits of its Avro parsing
 * fingerprint (CRC-64-AVRO of the canonical form). Ids are therefore stable across builds and
 * machines, and every instance agrees on them with no coordination; a schema that changes gets a
 * new id, and the old id keeps resolving as long as the old schema is registered here: every
 * schema of the catalog and of its earlier releases ({@link SchemaCatalog#earlier()}) is.
 */
public final class EmbeddedSchemaIdResolver implements SchemaIdResolver {

    private final Map<Integer, Schema> byId = new ConcurrentHashMap<>();
    /** Fingerprinting walks the whole schema: done once per schema instance, not once per record. */
    private final Map<Schema, Integer> idBySchema = java.util.Collections.synchronizedMap(new java.util.IdentityHashMap<>());

    public EmbeddedSchemaIdResolver() {
        SchemaCatalog.all().forEach(this::register);
        SchemaCatalog.earlier().forEach(this::register);
    }

    /** Makes an extra (e.g. older) schema resolvable; returns its id. */
    public int register(Schema schema) {
        int id = fingerprintId(schema);
        Schema previous = byId.putIfAbsent(id, schema);
        // Same parsing form: the same schema for reading (a generated class's copy differs only in
        // properties such as avro.java.string), so an earlier release's unchanged type is no collision.
        if (previous != null && !SchemaNormalization.toParsingForm(previous).equals(SchemaNormalization.toParsingForm(schema))) {
            throw new IllegalStateException("schema id collision between " + previous.getFullName()
                    + " and " + schema.getFullName());
        }
        return id;
    }

    public static int fingerprintId(Schema schema) {
        return (int) (SchemaNormalization.parsingFingerprint64(schema) & 0x7fffffffL);
    }

    @Override
    public int idFor(String subject, Schema schema) {
        Integer known = idBySchema.get(schema);
        if (known != null) {
            return known;
        }
        int id = register(schema);
        idBySchema.put(schema, id);
        return id;
    }

    @Override
    public Schema schemaFor(int id) {
        Schema schema = byId.get(id);
        if (schema == null) {
            throw new UnknownSchemaException(id);
        }
        return schema;
    }
}
