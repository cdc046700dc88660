package io.leadmkt.schema;

import java.util.ArrayList;
import java.util.List;

/**
 * A ping round's webhook answers travel on one {@link Bid} record: the first answer, with the others
 * in its {@code roundAnswers}. The connector waits for a round's last answer anyway (the auction
 * closes on it), so sending them together costs no time and saves, per lead, seven records on
 * {@code bids} and seven reads and rewrites of the auction's state. The connector packs, the auction
 * unpacks; both go through here so the one rule lives in one place.
 */
public final class RoundAnswers {

    private RoundAnswers() {
    }

    /** One record carrying every answer of {@code answers} (not empty): the first, with the rest on it. */
    public static Bid together(List<Bid> answers) {
        if (answers.isEmpty()) {
            throw new IllegalArgumentException("a round with no answers has no record");
        }
        Bid first = answers.get(0);
        first.setRoundAnswers(new ArrayList<>(answers.subList(1, answers.size())));
        return first;
    }

    /**
     * Every answer {@code record} carries, itself first, each with no {@code roundAnswers} of its own
     * (they are taken out of the record: an answer is counted once). Nesting is never written; a
     * nested list is dropped rather than followed, and so is an answer about another lead (a round
     * answers one ping).
     */
    public static List<Bid> each(Bid record) {
        List<Bid> carried = record.getRoundAnswers();
        if (carried == null || carried.isEmpty()) {
            return List.of(record);
        }
        List<Bid> answers = new ArrayList<>(carried.size() + 1);
        record.setRoundAnswers(List.of());
        answers.add(record);
        for (Bid answer : carried) {
            if (record.getLeadId().equals(answer.getLeadId())) {
                answer.setRoundAnswers(List.of());
                answers.add(answer);
            }
        }
        return answers;
    }
}
