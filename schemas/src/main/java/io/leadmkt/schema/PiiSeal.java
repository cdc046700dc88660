package io.leadmkt.schema;

import io.leadmkt.schema.serde.SpecificAvroTrust;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;

/**
 * Crypto-shredding of a lead's PII: its {@link Contact} and {@code consent.userAgent} are encrypted
 * with AES-256-GCM under the consumer's own {@link DataKey} into {@link Lead#getSealed()}, and the
 * plain fields are cleared. Every later copy of the lead (repartition topics, the auction's store
 * and its changelog, {@code posts}) then holds ciphertext only, so erasing that one key erases the
 * consumer's PII everywhere at once, retained records included. The lead id is authenticated data:
 * a sealed blob cannot be moved to another lead. Both directions change the lead in place (the
 * caller owns the record it read; a deep copy was a measured hot-path cost).
 */
public final class PiiSeal {
    public static final String CIPHER = "AES/GCM/NoPadding";
    public static final int KEY_BYTES = 32;
    static final int NONCE_BYTES = 12;
    static final int TAG_BITS = 128;

    private static final SpecificDatumWriter<PiiFields> WRITER;
    private static final SpecificDatumReader<PiiFields> READER;
    /** A Cipher is not thread-safe, and looking one up costs more than using it: one per thread. */
    private static final ThreadLocal<Cipher> CIPHERS = ThreadLocal.withInitial(() -> {
        try {
            return Cipher.getInstance(CIPHER);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/GCM is part of every JDK", e);
        }
    });

    static {
        SpecificAvroTrust.ensureTrusted();
        WRITER = new SpecificDatumWriter<>(PiiFields.class);
        READER = new SpecificDatumReader<>(PiiFields.class);
    }

    private PiiSeal() {
    }

    /** A fresh random data key for {@code identityHash}. */
    public static DataKey newKey(String identityHash, long now, SecureRandom random) {
        byte[] key = new byte[KEY_BYTES];
        random.nextBytes(key);
        return DataKey.newBuilder().setIdentityHash(identityHash).setKey(ByteBuffer.wrap(key)).setCreatedAt(now).build();
    }

    /** Encrypts the lead's PII under {@code key} and clears the plain fields; a sealed lead stays as it is. */
    public static Lead seal(Lead lead, DataKey key, SecureRandom random) {
        if (lead.getSealed() != null) {
            return lead;
        }
        PiiFields fields = PiiFields.newBuilder().setContact(lead.getContact())
                .setUserAgent(lead.getConsent() == null ? null : lead.getConsent().getUserAgent()).build();
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        byte[] ciphertext = crypt(Cipher.ENCRYPT_MODE, key, nonce, lead.getLeadId(), encode(fields));
        lead.setSealed(SealedPii.newBuilder().setKeyId(key.getIdentityHash()).setKeyCreatedAt(key.getCreatedAt())
                .setNonce(ByteBuffer.wrap(nonce)).setCiphertext(ByteBuffer.wrap(ciphertext)).build());
        lead.setContact(null);
        if (lead.getConsent() != null) {
            lead.getConsent().setUserAgent(null);
        }
        return lead;
    }

    /**
     * Restores the lead's PII with {@code key} (the one its seal names) and clears the seal; an
     * unsealed lead stays as it is.
     *
     * @throws IllegalArgumentException when {@code key} is not the key that sealed it, or the blob was altered
     */
    public static Lead unseal(Lead lead, DataKey key) {
        SealedPii sealed = lead.getSealed();
        if (sealed == null) {
            return lead;
        }
        if (!sealed.getKeyId().equals(key.getIdentityHash()) || sealed.getKeyCreatedAt() != key.getCreatedAt()) {
            throw new IllegalArgumentException("lead " + lead.getLeadId() + " was sealed with another key");
        }
        byte[] plain = crypt(Cipher.DECRYPT_MODE, key, bytes(sealed.getNonce()), lead.getLeadId(),
                bytes(sealed.getCiphertext()));
        PiiFields fields = decode(plain);
        lead.setContact(fields.getContact());
        if (lead.getConsent() != null) {
            lead.getConsent().setUserAgent(fields.getUserAgent());
        }
        lead.setSealed(null);
        return lead;
    }

    private static byte[] crypt(int mode, DataKey key, byte[] nonce, String leadId, byte[] input) {
        Cipher cipher = CIPHERS.get();
        try {
            cipher.init(mode, new SecretKeySpec(bytes(key.getKey()), "AES"), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(leadId.getBytes(StandardCharsets.UTF_8));
            return cipher.doFinal(input);
        } catch (javax.crypto.AEADBadTagException e) {
            throw new IllegalArgumentException("sealed PII of lead " + leadId + " does not authenticate", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM failed: " + e.getMessage(), e);
        }
    }

    private static byte[] encode(PiiFields fields) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(160);
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        try {
            WRITER.write(fields, encoder);
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static PiiFields decode(byte[] plain) {
        try {
            return READER.read(null, DecoderFactory.get().binaryDecoder(plain, null));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] bytes(ByteBuffer buffer) {
        ByteBuffer copy = buffer.duplicate();
        byte[] bytes = new byte[copy.remaining()];
        copy.get(bytes);
        return bytes;
    }
}
