package io.leadmkt.streams.eligibility;

import io.leadmkt.schema.FieldFilter;
import io.leadmkt.schema.LeadPreview;
import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A buyer's conditions on any lead field. They are read from the lead's preview — what a buyer
 * sees before it wins — so a filter can never select on a name, phone, email or street address.
 * Numbers compare exactly (BigDecimal), and a value that is not a number never matches a numeric
 * condition.
 */
public final class FieldFilters {
    /** Prefix of a filter on one of the lead's free-form attributes, e.g. {@code attributes.homeowner}. */
    public static final String ATTRIBUTES = "attributes.";
    public static final Set<String> FIELDS = Set.of("vertical", "sourceId", "subId", "state", "zip", "score",
            "leadAgeMs");

    private FieldFilters() {
    }

    /** Whether a filter may name {@code field}: a preview field or a non-empty attribute key. */
    public static boolean known(String field) {
        return FIELDS.contains(field) || (field.startsWith(ATTRIBUTES) && field.length() > ATTRIBUTES.length());
    }

    /** Whether the lead passes every filter (no filters: it does). */
    public static boolean matches(List<FieldFilter> filters, LeadPreview preview) {
        return filters.stream().allMatch(filter -> matches(filter, preview));
    }

    static boolean matches(FieldFilter filter, LeadPreview preview) {
        Optional<String> value = valueOf(filter.getField(), preview);
        List<String> values = filter.getValues();
        return switch (filter.getOp()) {
            case PRESENT -> value.isPresent();
            case ABSENT -> value.isEmpty();
            case IN -> value.isPresent() && values.contains(value.get());
            case NOT_IN -> value.isEmpty() || !values.contains(value.get());
            case AT_LEAST -> compare(value, values).map(c -> c >= 0).orElse(false);
            case AT_MOST -> compare(value, values).map(c -> c <= 0).orElse(false);
            case GREATER_THAN -> compare(value, values).map(c -> c > 0).orElse(false);
            case LESS_THAN -> compare(value, values).map(c -> c < 0).orElse(false);
        };
    }

    /** The value compared with values[0]; empty when either is missing or not a number. */
    private static Optional<Integer> compare(Optional<String> value, List<String> values) {
        Optional<BigDecimal> number = value.flatMap(FieldFilters::number);
        Optional<BigDecimal> bound = values.isEmpty() ? Optional.empty() : number(values.get(0));
        if (number.isEmpty() || bound.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(number.get().compareTo(bound.get()));
    }

    private static Optional<BigDecimal> number(String text) {
        try {
            return Optional.of(new BigDecimal(text.trim()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    static Optional<String> valueOf(String field, LeadPreview preview) {
        if (field.startsWith(ATTRIBUTES)) {
            return Optional.ofNullable(preview.getAttributes().get(field.substring(ATTRIBUTES.length())));
        }
        return Optional.ofNullable(switch (field) {
            case "vertical" -> preview.getVertical();
            case "sourceId" -> preview.getSourceId();
            case "subId" -> preview.getSubId();
            case "state" -> preview.getState();
            case "zip" -> preview.getZip();
            case "score" -> Integer.toString(preview.getScore());
            case "leadAgeMs" -> Long.toString(preview.getLeadAgeMs());
            default -> null;
        });
    }
}
