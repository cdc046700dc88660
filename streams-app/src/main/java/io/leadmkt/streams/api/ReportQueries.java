package io.leadmkt.streams.api;

import io.leadmkt.schema.ReportFigures;
import io.leadmkt.streams.report.ReportKey;
import io.leadmkt.streams.report.ReportProcessor;
import io.leadmkt.streams.report.ReportRequest;
import io.leadmkt.streams.report.ReportRow;
import io.leadmkt.streams.report.ReportTable;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.format.DateTimeFormatter;
import java.util.Set;

/**
 * Reports by Kafka Streams interactive queries (IQv2). The report-figures store is partitioned
 * like the leads (its rows are partial, per partition), so a report reads this instance's active
 * partitions and asks every other instance for its share ({@link InstanceFanOut}), then merges.
 */
public final class ReportQueries implements ReportSource {
    private final InstanceFanOut instances;

    public ReportQueries(InstanceFanOut instances) {
        this.instances = instances;
    }

    @Override
    public ReportTable report(ReportRequest request, String authorization) {
        String path = "/v1/reports/" + request.dimension().path() + "?bucket=" + request.bucket().path()
                + "&from=" + query(DateTimeFormatter.ISO_INSTANT.format(request.from()))
                + "&to=" + query(DateTimeFormatter.ISO_INSTANT.format(request.to()));
        Part local = part(request);
        return instances.everywhere(ReportProcessor.STORE, new InstanceFanOut.Part<>(local.partitions(), local.table()),
                path, authorization, body -> ReportJson.read(body, new ReportTable(request)), ReportTable::merge);
    }

    @Override
    public Part part(ReportRequest request) {
        ReportTable table = new ReportTable(request);
        Set<Integer> answered = instances.<ReportFigures>rangeHere(ReportProcessor.STORE, request.lowestKey(),
                request.highestKey(), kv -> table.addHour(ReportKey.decode(kv.key), ReportRow.fromAvro(kv.value)));
        return new Part(answered, table);
    }

    static String query(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
