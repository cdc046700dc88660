package io.leadmkt.connector.kafka;

/**
 * The topics of a Kafka-native buyer with id {@code B}: it reads its pings on {@code buyer.B.pings}
 * and its posts on {@code buyer.B.posts} (keyed by lead id), and answers on the shared
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
}
