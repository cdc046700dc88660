package io.leadmkt.connector;

import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/** A produce whose future completes when the broker acknowledged it: offsets are committed only then. */
public final class AckedSend {
    private AckedSend() {
    }

    public static <K, V> CompletableFuture<Void> send(Producer<K, V> producer, ProducerRecord<K, V> record) {
        CompletableFuture<Void> acked = new CompletableFuture<>();
        try {
            producer.send(record, (metadata, e) -> {
                if (e == null) {
                    acked.complete(null);
                } else {
                    acked.completeExceptionally(e);
                }
            });
        } catch (RuntimeException e) {
            acked.completeExceptionally(e);
        }
        return acked;
    }
}
