package io.leadmkt.streams.intake;

import io.leadmkt.schema.FieldError;
import io.leadmkt.schema.Lead;
import java.util.List;
import java.util.Objects;

/**
 * Outcome of checking one lead: the normalised lead, or the list of field errors. Exactly one of
 * the two is meaningful: {@code lead} is null when there are errors.
 */
public record IntakeResult(Lead lead, List<FieldError> errors) {

    public IntakeResult {
        errors = errors == null ? List.of() : List.copyOf(errors);
        if (errors.isEmpty()) {
            Objects.requireNonNull(lead, "a valid result needs a lead");
        }
    }

    public boolean ok() {
        return errors.isEmpty();
    }

    public static IntakeResult valid(Lead lead) {
        return new IntakeResult(lead, List.of());
    }

    public static IntakeResult invalid(List<FieldError> errors) {
        if (errors == null || errors.isEmpty()) {
            throw new IllegalArgumentException("an invalid result needs at least one error");
        }
        return new IntakeResult(null, errors);
    }
}
