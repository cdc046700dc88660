package io.leadmkt.connector.kafka;

/**
 * The topics of a Kafka-native buyer with id {@code B}: it reads its pings on {@code buyer.B.pings}
 * and its posts on {@code buyer.B.posts} (keyed by lead id), deletion notices on {@code buyer.B.deletions}
 * (keyed by deletion id), and answers on the shared
 * {@code bids} and {@code post-results} topics.
 */
public final class KafkaBuyerTopics {
    private KafkaBuyerTopics() {
    }

    public static String pings(String buyerId) {
        return "buyer." + buyerId + ".pings";
    }

    public static String posts(String buyerId) {
        return "buyer." + buyerId + ".posts";
    }

    /** Where the buyer is told that a consumer whose lead it bought asked to be deleted. */
    public static String deletions(String buyerId) {
        return "buyer." + buyerId + ".deletions";
    }
}
