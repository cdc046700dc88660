package io.leadmkt.connector.kafka;

import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The topics of a Kafka-native buyer with id {@code B}: it reads its pings on {@code buyer.B.pings}
 * and its posts on {@code buyer.B.posts} (keyed by lead id), deletion notices on {@code buyer.B.deletions}
 * (keyed by deletion id), and answers on its own
 * {@code buyer.B.bids} and {@code buyer.B.post-results}, and reports conversions and returns on
 * {@code buyer.B.postbacks}, which the connector relays to the shared {@code bids},
 * {@code post-results} and {@code postbacks} in B's name only ({@link KafkaBuyerAnswers}). Each buyer's
 * principal is granted its own six topics and nothing else, so the broker keeps buyers from reading
 * or answering for each other.
 */
public final class KafkaBuyerTopics {
    /** Every Kafka-native buyer's topics start with this. */
    public static final String PREFIX = "buyer.";
    private static final String BIDS = ".bids";
    private static final String POST_RESULTS = ".post-results";
    private static final String POSTBACKS = ".postbacks";
    /** A buyer's answer topics (what it writes): group 1 is its id. */
    public static final Pattern ANSWERS = Pattern.compile(Pattern.quote(PREFIX) + "(.+)(" + Pattern.quote(BIDS) + "|"
            + Pattern.quote(POST_RESULTS) + "|" + Pattern.quote(POSTBACKS) + ")");

    private KafkaBuyerTopics() {
    }

    public static String pings(String buyerId) {
        return PREFIX + buyerId + ".pings";
    }

    public static String posts(String buyerId) {
        return PREFIX + buyerId + ".posts";
    }

    public static String bids(String buyerId) {
        return PREFIX + buyerId + BIDS;
    }

    public static String postResults(String buyerId) {
        return PREFIX + buyerId + POST_RESULTS;
    }

    /** Where the buyer reports conversions and returns on the leads it bought. */
    public static String postbacks(String buyerId) {
        return PREFIX + buyerId + POSTBACKS;
    }

    /** The six topics of a buyer: the three it reads, then the three it writes. */
    public static List<String> all(String buyerId) {
        return List.of(pings(buyerId), posts(buyerId), deletions(buyerId), bids(buyerId), postResults(buyerId),
                postbacks(buyerId));
    }

    /** The buyer whose answer topic {@code topic} is; empty for any other topic. */
    public static Optional<String> answerer(String topic) {
        Matcher m = ANSWERS.matcher(topic);
        return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
    }

    static boolean isBids(String topic) {
        return topic.endsWith(BIDS);
    }

    static boolean isPostbacks(String topic) {
        return topic.endsWith(POSTBACKS);
    }

    /** Where the buyer is told that a consumer whose lead it bought asked to be deleted. */
    public static String deletions(String buyerId) {
        return PREFIX + buyerId + ".deletions";
    }
}
