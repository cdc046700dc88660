package io.leadmkt.launcher;

import io.leadmkt.schema.RoutingMode;
import java.util.Arrays;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** "parallel", "waterfall" or "tiers", in any case. */
public final class RoutingModeConverter implements ITypeConverter<RoutingMode> {
    @Override
    public RoutingMode convert(String value) {
        try {
            return RoutingMode.valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException("'" + value + "' is not a routing mode (one of "
                    + Arrays.stream(RoutingMode.values()).map(m -> m.name().toLowerCase(Locale.ROOT)).toList() + ")");
        }
    }
}
