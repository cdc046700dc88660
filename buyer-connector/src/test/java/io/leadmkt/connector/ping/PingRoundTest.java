package io.leadmkt.connector.ping;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PingRoundTest {

    private final PingRound round = new PingRound();
    private final List<String> letGo = new ArrayList<>();

    @Test
    void shouldKeepOverdueBuyerWhenNoBidIsInHand() {
        round.overdue(() -> letGo.add("slow"));

        assertThat(letGo).isEmpty();
    }

    @Test
    void shouldLetEveryOverdueBuyerGoWhenABidArrives() {
        round.overdue(() -> letGo.add("slow"));
        round.overdue(() -> letGo.add("slower"));

        round.bidInHand();

        assertThat(letGo).containsExactly("slow", "slower");
    }

    @Test
    void shouldLetOverdueBuyerGoAtOnceWhenABidIsAlreadyInHand() {
        round.bidInHand();

        round.overdue(() -> letGo.add("slow"));

        assertThat(letGo).containsExactly("slow");
    }

    @Test
    void shouldLetEachOverdueBuyerGoOnceWhenSeveralBidsArrive() {
        round.overdue(() -> letGo.add("slow"));

        round.bidInHand();
        round.bidInHand();

        assertThat(letGo).containsExactly("slow");
    }
}
