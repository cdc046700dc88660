package io.leadmkt.streams.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leadmkt.schema.Money;
import io.leadmkt.streams.report.Bands;
import io.leadmkt.streams.report.Figure;
import io.leadmkt.streams.report.ReportDimension;
import io.leadmkt.streams.report.ReportRequest;
import io.leadmkt.streams.report.ReportRow;
import io.leadmkt.streams.report.ReportTable;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * A report as JSON ({@code {"rows":[...]}}) and as CSV, money as decimal strings ("123.45"); and
 * back from JSON, for the rows other instances send when a report is fanned out. A whole report
 * (not an instance's share) also carries its rows merged by bucket, by value and in total, so a
 * chart or a headline figure shows what the server added up rather than sums redone in a browser.
 */
public final class ReportJson {
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    /** The figures after the counted ones: worked out from them. */
    private static final List<String> DERIVED = List.of("valid", "epl", "rpl");

    private ReportJson() {
    }

    /** An instance's share of a report: its rows only (what {@link #read} takes back). */
    public static ObjectNode of(ReportTable table) {
        ObjectNode body = JSON.objectNode();
        ArrayNode rows = body.putArray("rows");
        String column = table.request().dimension().path();
        table.rows().forEach((cell, row) -> putFigures(rows.addObject()
                .put(column, cell.value())
                .put("bucket", DateTimeFormatter.ISO_INSTANT.format(cell.bucket())), row, table.request().dimension()));
        return body;
    }

    /**
     * A whole report: its rows, then the same figures merged three ways: {@code byBucket} (every
     * value of a bucket: the market over time), {@code byValue} (every bucket of a value: each buyer
     * or source over the whole range) and {@code total}.
     */
    public static ObjectNode withTotals(ReportTable table) {
        ObjectNode body = of(table);
        ReportDimension dimension = table.request().dimension();
        Map<Instant, ReportRow> byBucket = new TreeMap<>();
        Map<String, ReportRow> byValue = new TreeMap<>();
        table.rows().forEach((cell, row) -> {
            byBucket.merge(cell.bucket(), row, ReportRow::merge);
            byValue.merge(cell.value(), row, ReportRow::merge);
        });
        ArrayNode buckets = body.putArray("byBucket");
        byBucket.forEach((bucket, row) -> putFigures(buckets.addObject()
                .put("bucket", DateTimeFormatter.ISO_INSTANT.format(bucket)), row, dimension));
        ArrayNode values = body.putArray("byValue");
        byValue.forEach((value, row) -> putFigures(values.addObject().put(dimension.path(), value), row, dimension));
        putFigures(body.putObject("total"), table.total(), dimension);
        return body;
    }

    private static void putFigures(ObjectNode json, ReportRow row, ReportDimension dimension) {
        for (Figure figure : Figure.values()) {
            if (figure.money()) {
                json.put(figure.label(), Money.format(row.get(figure)));
            } else {
                json.put(figure.label(), row.get(figure));
            }
        }
        ObjectNode reasons = json.putObject("rejectedByReason");
        row.rejectedByReason().forEach(reasons::put);
        json.put("valid", row.valid());
        putMoney(json, "epl", row.eplCents());
        putMoney(json, "rpl", row.rplCents());
        rates(row, dimension).forEach((name, rate) -> {
            if (rate.isPresent()) {
                json.put(name, rate.get());
            } else {
                json.putNull(name);
            }
        });
    }

    /**
     * A row's rates in percent, one decimal, rounded half up; empty when there is nothing to divide
     * by. Buyer rows: {@code bidRate} (bids per ping the buyer was reached with), {@code winRate} (wins
     * per bid), {@code acceptRate} (accepted per post the buyer was reached with), and the bounds of the bid and answer-time percentiles read off
     * the row's bands ({@link Bands}: dollars, and milliseconds); lead rows: {@code sellThrough} (sold per valid lead); every row:
     * {@code returnRate} and {@code conversionRate} (accepted returns and conversions per lead sold).
     */
    static Map<String, Optional<BigDecimal>> rates(ReportRow row, ReportDimension dimension) {
        Map<String, Optional<BigDecimal>> rates = new LinkedHashMap<>();
        if (dimension == ReportDimension.BUYER) {
            // Pings and posts our side never got to the buyer are no answers of its: out of its rates.
            rates.put("bidRate", percent(row.get(Figure.BIDS), row.get(Figure.PINGS) - row.get(Figure.PINGS_NOT_REACHED)));
            rates.put("winRate", percent(row.get(Figure.WINS), row.get(Figure.BIDS)));
            rates.put("acceptRate", percent(row.get(Figure.ACCEPTED),
                    row.get(Figure.POSTS) - row.get(Figure.POSTS_NOT_REACHED)));
            // Percentiles over the band counts: the upper bound of the band holding each (see Bands).
            rates.put("bidP50Below", Bands.quantileBelow(row, Bands.BID_CENTS, 0.5).map(c -> BigDecimal.valueOf(c, 2)));
            rates.put("bidP90Below", Bands.quantileBelow(row, Bands.BID_CENTS, 0.9).map(c -> BigDecimal.valueOf(c, 2)));
            for (double q : new double[] {0.5, 0.9, 0.99}) {
                rates.put("answerP" + (int) Math.round(q * 100) + "WithinMs",
                        Bands.quantileBelow(row, Bands.ANSWER_MS, q).map(below -> BigDecimal.valueOf(below - 1)));
            }
        } else {
            rates.put("sellThrough", percent(row.get(Figure.SOLD), row.valid()));
        }
        rates.put("returnRate", percent(row.get(Figure.RETURNS), row.get(Figure.SOLD)));
        rates.put("conversionRate", percent(row.get(Figure.CONVERSIONS), row.get(Figure.SOLD)));
        return rates;
    }

    private static Optional<BigDecimal> percent(long part, long whole) {
        if (whole <= 0) {
            return Optional.empty();
        }
        return Optional.of(BigDecimal.valueOf(part).movePointRight(2)
                .divide(BigDecimal.valueOf(whole), 1, RoundingMode.HALF_UP));
    }

    /** The same rows as CSV, one line per row after a header; rejections by reason as {@code REASON=n;REASON=n}. */
    public static String csv(ReportTable table) {
        List<String> header = new ArrayList<>(List.of(table.request().dimension().path(), "bucket"));
        for (Figure figure : Figure.values()) {
            header.add(figure.label());
        }
        header.add("rejectedByReason");
        header.addAll(DERIVED);
        ReportDimension dimension = table.request().dimension();
        header.addAll(rates(ReportRow.EMPTY, dimension).keySet());
        StringBuilder csv = new StringBuilder(String.join(",", header)).append("\r\n");
        table.rows().forEach((cell, row) -> {
            List<String> fields = new ArrayList<>();
            fields.add(quoted(cell.value()));
            fields.add(DateTimeFormatter.ISO_INSTANT.format(cell.bucket()));
            for (Figure figure : Figure.values()) {
                fields.add(figure.money() ? Money.format(row.get(figure)) : Long.toString(row.get(figure)));
            }
            fields.add(quoted(row.rejectedByReason().entrySet().stream()
                    .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(";"))));
            fields.add(Long.toString(row.valid()));
            fields.add(row.eplCents().map(Money::format).orElse(""));
            fields.add(row.rplCents().map(Money::format).orElse(""));
            rates(row, dimension).values().forEach(rate -> fields.add(rate.map(BigDecimal::toPlainString).orElse("")));
            csv.append(String.join(",", fields)).append("\r\n");
        });
        return csv.toString();
    }

    /** Rows written by {@link #of}, into {@code table}'s buckets. */
    public static ReportTable read(JsonNode body, ReportTable table) {
        ReportRequest request = table.request();
        for (JsonNode json : body.path("rows")) {
            EnumMap<Figure, Long> figures = new EnumMap<>(Figure.class);
            for (Figure figure : Figure.values()) {
                JsonNode value = json.path(figure.label());
                if (value.isMissingNode()) {
                    continue; // an instance of an older build, which does not count this figure yet
                }
                long amount = figure.money()
                        ? Money.parseCents(value.asText()).orElseThrow(() -> new IllegalArgumentException(
                                "report row has a bad " + figure.label() + ": " + value))
                        : value.asLong();
                figures.put(figure, amount);
            }
            Map<String, Long> reasons = new TreeMap<>();
            json.path("rejectedByReason").properties().forEach(e -> reasons.put(e.getKey(), e.getValue().asLong()));
            table.add(new ReportTable.Cell(Instant.parse(json.path("bucket").asText()),
                    json.path(request.dimension().path()).asText()), new ReportRow(figures, reasons));
        }
        return table;
    }

    private static void putMoney(ObjectNode json, String field, Optional<Long> cents) {
        if (cents.isPresent()) {
            json.put(field, Money.format(cents.get()));
        } else {
            json.putNull(field);
        }
    }

    /** A CSV field: quoted when it holds a comma, quote or line break (RFC 4180). */
    private static String quoted(String value) {
        if (value.contains(",") || value.contains("\"") || value.contains("\n") || value.contains("\r")) {
            return '"' + value.replace("\"", "\"\"") + '"';
        }
        return value;
    }
}
