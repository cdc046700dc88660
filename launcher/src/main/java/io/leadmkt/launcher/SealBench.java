package io.leadmkt.launcher;

import io.leadmkt.schema.Consent;
import io.leadmkt.schema.Contact;
import io.leadmkt.schema.DataKey;
import io.leadmkt.schema.Enrichment;
import io.leadmkt.schema.Lead;
import io.leadmkt.schema.PiiSeal;
import io.leadmkt.schema.Topics;
import io.leadmkt.schema.serde.AvroSerde;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.security.SecureRandom;
import java.util.List;

/**
 * What crypto-shredding costs a lead, on one thread: CPU per seal (key vault, once per lead), per
 * unseal (connector, once per post) and the bytes it adds to each copy of the lead. Run with
 * {@code java -cp … io.leadmkt.launcher.SealBench [leads]}; prints one JSON line.
 */
public final class SealBench {
    private SealBench() {
    }

    public static void main(String[] args) {
        int leads = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        SecureRandom random = new SecureRandom();
        DataKey key = PiiSeal.newKey("a".repeat(64), 1L, random);
        AvroSerde<Lead> serde = Topics.embedded().serde(Lead.class);
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        measure(leads / 4, key, random, cpu); // warm-up: JIT, class loading
        long[] ns = measure(leads, key, random, cpu);
        long plain = serde.serializer().serialize("x", lead(0)).length;
        long sealed = serde.serializer().serialize("x", PiiSeal.seal(lead(0), key, random)).length;
        System.out.printf("{\"leads\":%d,\"seal_us\":%.2f,\"unseal_us\":%.2f,\"bytes_plain\":%d,\"bytes_sealed\":%d}%n",
                leads, ns[0] / 1000.0 / leads, ns[1] / 1000.0 / leads, plain, sealed);
    }

    /** Thread CPU nanoseconds spent sealing, then unsealing, {@code leads} fresh leads. */
    private static long[] measure(int leads, DataKey key, SecureRandom random, ThreadMXBean cpu) {
        Lead[] batch = new Lead[leads];
        for (int i = 0; i < leads; i++) {
            batch[i] = lead(i);
        }
        long start = cpu.getCurrentThreadCpuTime();
        for (Lead lead : batch) {
            PiiSeal.seal(lead, key, random);
        }
        long sealed = cpu.getCurrentThreadCpuTime();
        for (Lead lead : batch) {
            PiiSeal.unseal(lead, key);
        }
        return new long[] {sealed - start, cpu.getCurrentThreadCpuTime() - sealed};
    }

    private static Lead lead(int i) {
        return Lead.newBuilder().setLeadId("lead-" + i).setSourceId("seller-1").setCampaignId("camp")
                .setContact(Contact.newBuilder().setFirstName("Ada").setLastName("Lovelace")
                        .setEmail("ada" + i + "@example.com").setPhone("+1512555" + String.format("%04d", i % 10_000))
                        .setStreetAddress("12 Analytical Engine Way").setIpAddress("203.0.113.9").build())
                .setConsent(Consent.newBuilder().setMethod("web_form").setCertificateId("cert-" + i)
                        .setUserAgent("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36")
                        .setNamedBuyers(List.of()).build())
                .setEnrichment(Enrichment.newBuilder().setIdentityHash("a".repeat(64)).setReceivedAt(0).setLeadAgeMs(0)
                        .setScore(50).build())
                .build();
    }
}
