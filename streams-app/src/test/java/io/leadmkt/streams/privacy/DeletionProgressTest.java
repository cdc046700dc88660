package io.leadmkt.streams.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadmkt.schema.DeletionEvent;
import io.leadmkt.schema.DeletionEventType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeletionProgressTest {
    private final List<DeletionEvent> events = new ArrayList<>();

    private DeletionEvent.Builder event(DeletionEventType type, long at) {
        return DeletionEvent.newBuilder().setDeletionId("D1").setType(type).setAt(at);
    }

    private void requested() {
        events.add(event(DeletionEventType.REQUESTED, 1).setHashes(List.of("phone-hash")).setRequestedBy("officer")
                .setCount(2).build());
    }

    private void found(int partition, List<String> identities, String buyers) {
        events.add(event(DeletionEventType.LEADS_FOUND, 2).setPartition(partition).setHashes(identities)
                .setLeadIds(identities.isEmpty() ? List.of() : List.of("L" + partition))
                .setDetail(Map.of("buyers", buyers)).build());
    }

    private void erased(String identity, long at) {
        events.add(event(DeletionEventType.KEY_ERASED, at).setHashes(List.of(identity)).build());
    }

    private void buyer(DeletionEventType type, String buyerId, int attempt, long at) {
        events.add(event(type, at).setBuyerId(buyerId).setCount(attempt)
                .setDetail(type == DeletionEventType.BUYER_FAILING ? Map.of("error", "HTTP_503") : Map.of()).build());
    }

    private DeletionProgress progress() {
        return DeletionProgress.of("D1", events);
    }

    @Test
    void shouldStayReceivedWhenAPartitionHasNotSearchedOrAKeyIsNotErased() {
        requested();
        found(0, List.of("phone-hash"), "");
        erased("phone-hash", 3);
        assertThat(progress().status()).as("partition 1 not heard from").isEqualTo(DeletionProgress.RECEIVED);

        found(1, List.of("other-identity"), "");
        assertThat(progress().status()).as("other-identity not erased").isEqualTo(DeletionProgress.RECEIVED);

        erased("other-identity", 4);
        assertThat(progress().status()).isEqualTo(DeletionProgress.ERASED);
        assertThat(progress().erasedAt()).isEqualTo(4L);
    }

    @Test
    void shouldShowFailingUntilTheBuyerConfirmsThenCompleted() {
        requested();
        found(0, List.of("phone-hash"), "acme,globex");
        found(1, List.of(), "");
        erased("phone-hash", 3);
        assertThat(progress().status()).isEqualTo(DeletionProgress.NOTIFYING);

        buyer(DeletionEventType.BUYER_NOTIFIED, "acme", 1, 4);
        buyer(DeletionEventType.BUYER_ACKNOWLEDGED, "acme", 1, 5);
        buyer(DeletionEventType.BUYER_NOTIFIED, "globex", 1, 4);
        buyer(DeletionEventType.BUYER_FAILING, "globex", 1, 6);
        assertThat(progress().status()).isEqualTo(DeletionProgress.FAILING);
        assertThat(progress().buyers().get("globex").lastError()).isEqualTo("HTTP_503");

        buyer(DeletionEventType.BUYER_ACKNOWLEDGED, "globex", 3, 9);
        DeletionProgress done = progress();
        assertThat(done.status()).isEqualTo(DeletionProgress.COMPLETED);
        assertThat(done.buyers().get("globex").notifiedAt()).isEqualTo(4L);
        assertThat(done.buyers().get("globex").acknowledgedAt()).isEqualTo(9L);
        assertThat(done.buyers().get("globex").attempts()).isEqualTo(3);
        assertThat(done.requestedBy()).isEqualTo("officer");
    }
}
