package io.leadmkt.streams.api;

import io.leadmkt.streams.report.ReportRequest;
import io.leadmkt.streams.report.ReportTable;
import java.util.Set;

/**
 * Where the report API gets its rows; in production {@link ReportQueries}, interactive queries on
 * the report-figures store. Both methods throw {@link ReportsUnavailable} while an answer cannot
 * be complete (a store restoring, partitions moving).
 */
public interface ReportSource {
    /**
     * The report over every partition of every instance, merged. {@code authorization}: the caller's
     * {@code Authorization} header, sent on to the other instances (null: none).
     */
    ReportTable report(ReportRequest request, String authorization);

    /** This instance's share: the rows of the partitions it hosts as active, and which those are. */
    Part part(ReportRequest request);

    /** One instance's share of a report. */
    record Part(Set<Integer> partitions, ReportTable table) {
    }
}
