package io.leadmkt.streams.report;

import java.time.Instant;
import java.util.Collections;
import java.util.Comparator;
import java.util.Map;
import java.util.TreeMap;

/**
 * A report's rows by bucket and dimension value, in that order. Rows added for the same bucket and
 * value are merged: the hours of a day, or one value's rows from several partitions or instances.
 */
public final class ReportTable {
    /** Where a row sits: its bucket's start and its dimension value. */
    public record Cell(Instant bucket, String value) {
        static final Comparator<Cell> ORDER = Comparator.comparing(Cell::bucket).thenComparing(Cell::value);
    }

    private final ReportRequest request;
    private final TreeMap<Cell, ReportRow> rows = new TreeMap<>(Cell.ORDER);

    public ReportTable(ReportRequest request) {
        this.request = request;
    }

    public ReportRequest request() {
        return request;
    }

    /** A stored hourly row, into its bucket; rows outside the request's time range are left out. */
    public ReportTable addHour(ReportKey key, ReportRow row) {
        if (key.dimension() == request.dimension() && !key.hour().isBefore(request.from())
                && key.hour().isBefore(request.to())) {
            add(new Cell(request.bucket().startOf(key.hour()), key.value()), row);
        }
        return this;
    }

    /** A row already in this table's buckets (another partition's or instance's). */
    public ReportTable add(Cell cell, ReportRow row) {
        rows.merge(cell, row, ReportRow::merge);
        return this;
    }

    public ReportTable merge(ReportTable other) {
        other.rows.forEach(this::add);
        return this;
    }

    public Map<Cell, ReportRow> rows() {
        return Collections.unmodifiableMap(rows);
    }

    /** All rows merged: the report's totals. */
    public ReportRow total() {
        return rows.values().stream().reduce(ReportRow.EMPTY, ReportRow::merge);
    }
}
