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
 * partitions and asks every other instance for its share ({@link InstanceFanOut}, standbys standing
 * in for an active instance that does not answer), then merges.
 */
public final class ReportQueries implements ReportSource {
    private final InstanceFanOut instances;

    public ReportQueries(InstanceFanOut instances) {
        this.instances = instances;
    }

    @Override
    public InstanceFanOut.Answer<ReportTable> report(ReportRequest request, String authorization) {
        String path = "/v1/reports/" + request.dimension().path() + "?bucket=" + request.bucket().path()
                + "&from=" + query(DateTimeFormatter.ISO_INSTANT.format(request.from()))
                + "&to=" + query(DateTimeFormatter.ISO_INSTANT.format(request.to()));
        return instances.everywhere(ReportProcessor.STORE, share -> part(request, share), path, authorization,
                body -> ReportJson.read(body, new ReportTable(request)), ReportTable::merge);
    }

    @Override
    public InstanceFanOut.Part<ReportTable> part(ReportRequest request, InstanceFanOut.Share share) {
        ReportTable table = new ReportTable(request);
        Set<Integer> answered = instances.<ReportFigures>rangeHere(ReportProcessor.STORE, share, request.lowestKey(),
                request.highestKey(), kv -> table.addHour(ReportKey.decode(kv.key), ReportRow.fromAvro(kv.value)));
        return new InstanceFanOut.Part<>(answered, table);
    }

    static String query(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
