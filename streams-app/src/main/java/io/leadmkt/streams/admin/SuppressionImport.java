package io.leadmkt.streams.admin;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import io.leadmkt.schema.IdentityHash;
import io.leadmkt.schema.SuppressionEntry;
import io.leadmkt.streams.intake.LeadNormalizer;
import io.leadmkt.streams.intake.UsPhoneNumber;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongConsumer;
import java.util.regex.Pattern;

/**
 * A suppression list as a CSV file (an internal do-not-call list, a litigator list, the federal
 * DNC extract) read into entries: hashes only, every bad row named by its line number, never by
 * its content. Writing them is the caller's ({@link ConfigTopics#suppress}: idempotent, all in one
 * transaction); whether a file with bad rows is applied at all is the caller's choice too.
 *
 * <p>The file, UTF-8, one consumer per row; blank lines and lines starting with {@code #} are skipped:
 * <ul>
 *   <li>With a header (a first row naming at least one of {@code phone}, {@code email},
 *       {@code phone_hash}, {@code email_hash}, {@code hash}; other columns are ignored), each cell
 *       is read as its column says.</li>
 *   <li>Without one, each cell is recognised: 64 hex digits are a hash, text with {@code @} an
 *       email, anything else a phone. A row of exactly two cells of 3 and 7 digits is one phone
 *       (the federal registry's {@code area code,number} flat file).</li>
 * </ul>
 * Phones are US numbers in any common notation and emails any case, normalised and hashed exactly
 * as intake does ({@link Suppressions}); a pre-hashed identifier must be in that format already
 * ({@link IdentityHash}: SHA-256 hex of {@code phone:+15125550123} or {@code email:ada@example.com}).
 * A consumer listed twice is one entry.
 */
public final class SuppressionImport {

    /** How often {@code progress} hears how many rows were read. */
    public static final int PROGRESS_EVERY = 10_000;

    private static final Pattern HASH_PATTERN = Pattern.compile("[0-9a-fA-F]{64}");
    private static final Pattern AREA_CODE = Pattern.compile("\\d{3}");
    private static final Pattern LOCAL_NUMBER = Pattern.compile("\\d{7}");
    /** Header column to the kind of entry its cells make. */
    private static final Map<String, String> COLUMNS = Map.of("phone", Suppressions.PHONE,
            "email", Suppressions.EMAIL, "phone_hash", Suppressions.PHONE, "email_hash", Suppressions.EMAIL,
            "hash", Suppressions.HASH);
    private static final CsvMapper CSV = new CsvMapper();

    private SuppressionImport() {
    }

    /** What every entry of one import gets: why, who, until when (null: permanent), added when. */
    public record Terms(String reason, String source, Long expiresAt, long addedAt) {
    }

    /**
     * The entries of a file, in file order without repeats, and its bad rows ({@code line 17: phone:
     * not a US phone number}); {@code rows}: the rows read (blank and comment lines not counted, the
     * header not either).
     */
    public record Result(List<SuppressionEntry> entries, List<String> errors, long rows, int badRows) {
        public Result {
            entries = List.copyOf(entries);
            errors = List.copyOf(errors);
        }

        public boolean ok() {
            return errors.isEmpty();
        }
    }

    /** Reads the whole file; {@code progress} hears the row count every {@value #PROGRESS_EVERY} rows. */
    public static Result read(Reader file, Terms terms, LongConsumer progress) throws IOException {
        Map<String, SuppressionEntry> entries = new LinkedHashMap<>();
        List<String> errors = new ArrayList<>();
        long rows = 0;
        int badRows = 0;
        List<String> header = null;
        boolean first = true;
        CsvSchema schema = CsvSchema.emptySchema().withComments();
        try (MappingIterator<List<String>> it = CSV.readerForListOf(String.class).with(schema)
                .with(CsvParser.Feature.WRAP_AS_ARRAY).with(CsvParser.Feature.SKIP_EMPTY_LINES)
                .with(CsvParser.Feature.TRIM_SPACES).readValues(file)) {
            while (it.hasNextValue()) {
                List<String> cells = it.nextValue();
                // The row just read started on the line its first token was on.
                long line = it.getParser().currentTokenLocation().getLineNr();
                if (cells.stream().allMatch(c -> c == null || c.isBlank())) {
                    continue;
                }
                if (first) {
                    first = false;
                    if (cells.stream().anyMatch(c -> c != null && COLUMNS.containsKey(column(c)))) {
                        header = cells.stream().map(c -> c == null ? "" : column(c)).toList();
                        continue;
                    }
                }
                rows++;
                List<String> rowErrors = new ArrayList<>();
                List<SuppressionEntry> found = header == null ? recognised(cells, terms, rowErrors)
                        : byColumn(header, cells, terms, rowErrors);
                if (rowErrors.isEmpty() && found.isEmpty()) {
                    rowErrors.add("no phone, email or hash");
                }
                if (rowErrors.isEmpty()) {
                    found.forEach(e -> entries.putIfAbsent(e.getHash(), e));
                } else {
                    badRows++;
                    rowErrors.forEach(e -> errors.add("line " + line + ": " + e));
                }
                if (rows % PROGRESS_EVERY == 0) {
                    progress.accept(rows);
                }
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            // Broken CSV (an unclosed quote) past which nothing can be read: the file is bad as a whole.
            long line = e.getLocation() == null ? rows : e.getLocation().getLineNr();
            errors.add("line " + line + ": not CSV past this point (" + e.getOriginalMessage().split("\n")[0] + ")");
            badRows++;
        }
        return new Result(new ArrayList<>(entries.values()), errors, rows, badRows);
    }

    private static String column(String cell) {
        return cell.strip().toLowerCase(Locale.ROOT);
    }

    private static List<SuppressionEntry> byColumn(List<String> header, List<String> cells, Terms terms,
                                                   List<String> errors) {
        List<SuppressionEntry> found = new ArrayList<>();
        for (int i = 0; i < Math.min(header.size(), cells.size()); i++) {
            String name = header.get(i);
            String cell = cells.get(i);
            if (!COLUMNS.containsKey(name) || cell == null || cell.isBlank()) {
                continue;
            }
            String kind = COLUMNS.get(name);
            Optional<SuppressionEntry> entry = name.endsWith("hash") ? hashed(cell, kind, terms)
                    : kind.equals(Suppressions.PHONE) ? phone(cell, terms) : email(cell, terms);
            entry.ifPresentOrElse(found::add, () -> errors.add(name + ": " + problem(name)));
        }
        return found;
    }

    private static List<SuppressionEntry> recognised(List<String> cells, Terms terms, List<String> errors) {
        List<String> given = cells.stream().filter(c -> c != null && !c.isBlank()).map(String::strip).toList();
        if (given.size() == 2 && AREA_CODE.matcher(given.get(0)).matches()
                && LOCAL_NUMBER.matcher(given.get(1)).matches()) {
            given = List.of(given.get(0) + given.get(1));
        }
        List<SuppressionEntry> found = new ArrayList<>();
        for (int i = 0; i < given.size(); i++) {
            String cell = given.get(i);
            String what = HASH_PATTERN.matcher(cell).matches() ? "hash" : cell.contains("@") ? "email" : "phone";
            Optional<SuppressionEntry> entry = switch (what) {
                case "hash" -> hashed(cell, Suppressions.HASH, terms);
                case "email" -> email(cell, terms);
                default -> phone(cell, terms);
            };
            final String column = "column " + (i + 1);
            entry.ifPresentOrElse(found::add, () -> errors.add(column + ": " + problem(what)));
        }
        return found;
    }

    private static String problem(String what) {
        return switch (what) {
            case "email" -> "not an email address";
            case "phone" -> "not a US phone number";
            default -> "not a hash (64 hex digits)";
        };
    }

    private static Optional<SuppressionEntry> phone(String cell, Terms terms) {
        return UsPhoneNumber.toE164(cell).map(e164 -> entry(IdentityHash.ofPhone(e164), Suppressions.PHONE, terms));
    }

    private static Optional<SuppressionEntry> email(String cell, Terms terms) {
        return LeadNormalizer.normalizedEmail(cell).map(e -> entry(IdentityHash.ofEmail(e), Suppressions.EMAIL, terms));
    }

    private static Optional<SuppressionEntry> hashed(String cell, String kind, Terms terms) {
        String hash = cell.strip();
        return HASH_PATTERN.matcher(hash).matches()
                ? Optional.of(entry(hash.toLowerCase(Locale.ROOT), kind, terms)) : Optional.empty();
    }

    private static SuppressionEntry entry(String hash, String kind, Terms terms) {
        return Suppressions.entry(hash, kind, terms.reason(), terms.source(), terms.expiresAt(), terms.addedAt());
    }
}
