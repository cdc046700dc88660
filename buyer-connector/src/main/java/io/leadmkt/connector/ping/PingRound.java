package io.leadmkt.connector.ping;

import java.util.ArrayList;
import java.util.List;

/**
 * The buyers of one ping, as far as letting an overdue one go is concerned: a buyer that has not
 * answered within its usual time ({@link AnswerTimes}) is let go only once the lead has a bid in
 * hand that could sell it. Until then it keeps its whole timeout.
 *
 * <p>Why: cutting a buyer short is worth it when the others have answered and it alone holds the
 * auction. When nobody has bid yet, it may be the lead's only chance, and when every buyer is late
 * at once the cause is usually our own lag (a busy core, a pause), which must never be charged to
 * buyers nor turn their in-time bids into {@code NO_BIDS}.
 *
 * <p>Thread-safe; what is let go runs outside the lock (it completes futures).
 */
final class PingRound {

    private boolean bidInHand;
    private List<Runnable> overdue = new ArrayList<>();

    /** A buyer of this ping bid at or above the floor: every overdue buyer is let go, now and from now on. */
    void bidInHand() {
        List<Runnable> letGo;
        synchronized (this) {
            if (bidInHand) {
                return;
            }
            bidInHand = true;
            letGo = overdue;
            overdue = List.of();
        }
        letGo.forEach(Runnable::run);
    }

    /** A buyer is past its usual answer time: {@code letGo} runs as soon as a bid is in hand. */
    void overdue(Runnable letGo) {
        synchronized (this) {
            if (!bidInHand) {
                overdue.add(letGo);
                return;
            }
        }
        letGo.run();
    }
}
