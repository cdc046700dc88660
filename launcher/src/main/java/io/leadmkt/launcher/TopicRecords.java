package io.leadmkt.launcher;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;

/**
 * What a run wrote to the broker, per topic: the sum of its partitions' log-end offsets, so transaction
 * markers count as the broker's work they are. Divided by the leads of the run it is the records each lead
 * costs, the first thing to look at when CPU per lead moves (every record is a write, a replication
 * and a fetch, and every transaction touches each partition it wrote to).
 */
public record TopicRecords(Map<String, Long> byTopic) {

    public TopicRecords {
        byTopic = Map.copyOf(byTopic);
    }

    /** Internal topics included (__consumer_offsets, __transaction_state, changelogs, repartitions). */
    public static TopicRecords of(Admin admin) throws Exception {
        Set<String> names = admin.listTopics(new ListTopicsOptions().listInternal(true)).names().get();
        Map<String, TopicDescription> topics = admin.describeTopics(names).allTopicNames().get();
        Map<TopicPartition, OffsetSpec> ends = new HashMap<>();
        topics.values().forEach(topic -> topic.partitions().forEach(partition ->
                ends.put(new TopicPartition(topic.name(), partition.partition()), OffsetSpec.latest())));
        Map<String, Long> records = new HashMap<>();
        admin.listOffsets(ends).all().get().forEach((partition, end) ->
                records.merge(partition.topic(), end.offset(), Long::sum));
        return new TopicRecords(records);
    }

    public long total() {
        return byTopic.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Records per lead, largest first, topics under 0.05 per lead left out. */
    public Map<String, Double> perLead(long leads) {
        Map<String, Double> perLead = new LinkedHashMap<>();
        byTopic.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .filter(e -> leads > 0 && e.getValue() * 20 >= leads)
                .forEach(e -> perLead.put(e.getKey(), (double) e.getValue() / leads));
        return perLead;
    }

    /** "records/lead 41.2: __consumer_offsets 12.0, audit 9.1, ..." */
    public String toLine(long leads) {
        List<String> parts = perLead(leads).entrySet().stream()
                .map(e -> String.format(Locale.ROOT, "%s %.1f", shortName(e.getKey()), e.getValue())).toList();
        return String.format(Locale.ROOT, "records/lead %.1f: %s", leads == 0 ? 0 : (double) total() / leads,
                String.join(", ", parts));
    }

    /** Streams' internal topics carry the application id first; the rest of the name says what it is. */
    private static String shortName(String topic) {
        return topic.startsWith("leadmkt-") ? topic.substring("leadmkt-".length()) : topic;
    }

    String toJson(long leads) {
        return String.format(Locale.ROOT, "{\"total\":%.2f,%s}", leads == 0 ? 0 : (double) total() / leads,
                perLead(leads).entrySet().stream()
                        .map(e -> String.format(Locale.ROOT, "\"%s\":%.2f", e.getKey(), e.getValue()))
                        .collect(Collectors.joining(",")));
    }
}
