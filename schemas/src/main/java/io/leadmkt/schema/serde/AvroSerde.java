package io.leadmkt.schema.serde;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Avro SpecificRecords in the Confluent wire format: magic byte 0, a big-endian 4-byte schema id,
 * then the Avro binary body. Reads resolve the writer's schema (looked up by id) against this
 * class's schema, so producers on an older compatible schema keep working.
 *
 * <p>Deserialisation failures throw {@link SerializationException} (or its subclass
 * {@link UnknownSchemaException}); callers on input topics catch them and dead-letter the bytes.
 */
public final class AvroSerde<T extends SpecificRecord> implements Serde<T> {

    static final byte MAGIC_BYTE = 0;
    private static final int HEADER_SIZE = 5;
    /**
     * Each thread writes into its own buffer and reads with its own decoder, kept between records: a new
     * 256-byte stream per record, grown by doubling to an auction state's ~1 KB and copied out, was most of what
     * serialising allocated (JFR at 300 leads/s), and a decoder per record the rest of reading's overhead.
     * Neither is reentered: Avro calls nothing of ours while it writes or reads.
     */
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);
    /** A buffer a rare large record grew past this is not kept, nor a decoder that read one. */
    private static final int SCRATCH_KEPT_BYTES = 64 * 1024;

    private static final class Scratch extends ByteArrayOutputStream {
        BinaryEncoder encoder;
        BinaryDecoder decoder;

        Scratch() {
            super(1024);
        }

        int capacity() {
            return buf.length;
        }
    }

    private final Class<T> type;
    private final Schema schema;
    private final SchemaIdResolver resolver;
    private final SpecificDatumWriter<T> writer;
    /**
     * One reader per writer schema id: building a reader resolves the writer's schema against ours,
     * which costs far more than reading a record. Avro readers are safe to share between threads
     * (their resolving decoders are cached per thread).
     */
    private final java.util.concurrent.ConcurrentHashMap<Integer, SpecificDatumReader<T>> readers =
            new java.util.concurrent.ConcurrentHashMap<>();

    public AvroSerde(Class<T> type, SchemaIdResolver resolver) {
        SpecificAvroTrust.ensureTrusted();
        this.type = type;
        this.schema = SpecificData.get().getSchema(type);
        this.resolver = resolver;
        this.writer = new SpecificDatumWriter<>(schema);
    }

    public Class<T> type() {
        return type;
    }

    public byte[] serialize(String topic, T record) {
        if (record == null) {
            return null;
        }
        int id = resolver.idFor(topic + "-value", schema);
        Scratch out = SCRATCH.get();
        out.reset();
        out.write(MAGIC_BYTE);
        out.write(id >>> 24);
        out.write(id >>> 16);
        out.write(id >>> 8);
        out.write(id);
        try {
            out.encoder = EncoderFactory.get().directBinaryEncoder(out, out.encoder);
            writer.write(record, out.encoder);
            out.encoder.flush();
            return out.toByteArray();
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("cannot write " + schema.getFullName() + ": " + e.getMessage(), e);
        } finally {
            if (out.capacity() > SCRATCH_KEPT_BYTES) {
                SCRATCH.remove();
            }
        }
    }

    public T deserialize(String topic, byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        if (bytes.length < HEADER_SIZE || bytes[0] != MAGIC_BYTE) {
            throw new SerializationException("not Confluent-framed Avro: "
                    + (bytes.length < HEADER_SIZE ? "too short (" + bytes.length + " bytes)" : "magic byte " + bytes[0]));
        }
        int id = ByteBuffer.wrap(bytes, 1, 4).getInt();
        Schema writerSchema = resolver.schemaFor(id);
        // Avro resolution matches fields by name only, so a Bid could be read as a Lead with every
        // other field defaulted; a record of another type is wrong input, not an old version.
        if (!writerSchema.getFullName().equals(schema.getFullName())
                && !schema.getAliases().contains(writerSchema.getFullName())) {
            throw new WrongSchemaException("expected " + schema.getFullName() + " but record was written as "
                    + writerSchema.getFullName() + " (schema id " + id + ")");
        }
        try {
            SpecificDatumReader<T> reader = readers.computeIfAbsent(id, ignored -> writerSchema.equals(schema)
                    ? new SpecificDatumReader<>(schema) : new SpecificDatumReader<>(writerSchema, schema));
            Scratch scratch = SCRATCH.get();
            BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(bytes, HEADER_SIZE, bytes.length - HEADER_SIZE,
                    scratch.decoder);
            // Kept only while it points at a small record: it holds the bytes it last read.
            scratch.decoder = bytes.length <= SCRATCH_KEPT_BYTES ? decoder : null;
            T value = reader.read(null, decoder);
            if (!decoder.isEnd()) {
                throw new SerializationException("trailing bytes after " + writerSchema.getFullName() + " body");
            }
            return value;
        } catch (IOException | AvroRuntimeException | IndexOutOfBoundsException | NegativeArraySizeException
                 | ClassCastException e) {
            throw new SerializationException("cannot read " + schema.getFullName() + " from schema "
                    + writerSchema.getFullName() + " (id " + id + "): " + e.getMessage(), e);
        }
    }

    @Override
    public Serializer<T> serializer() {
        return this::serialize;
    }

    @Override
    public Deserializer<T> deserializer() {
        return this::deserialize;
    }
}
