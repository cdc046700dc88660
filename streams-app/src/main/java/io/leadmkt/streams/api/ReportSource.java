package io.leadmkt.streams.api;

import io.leadmkt.streams.report.ReportRequest;
import io.leadmkt.streams.report.ReportTable;

/**
 * Where the report API gets its rows; in production {@link ReportQueries}, interactive queries on
 * the report-figures store. Both methods throw {@link ReportsUnavailable} while an answer cannot
 * be complete (a store restoring, partitions moving, no copy of a partition answering).
 */
public interface ReportSource {
    /**
     * The report over every partition of every instance, merged, naming the partitions a standby
     * served. {@code authorization}: the caller's {@code Authorization} header, sent on to the other
     * instances (null: none).
     */
    InstanceFanOut.Answer<ReportTable> report(ReportRequest request, String authorization);

    /** This instance's share: the rows of the partitions {@code share} names here, and which those are. */
    InstanceFanOut.Part<ReportTable> part(ReportRequest request, InstanceFanOut.Share share);
}
