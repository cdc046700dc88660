package io.leadmkt.schema;

import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/** Applies a setting's declared rule to a value given in code, as parsing the settings file would. */
public final class SettingCheck {
    private SettingCheck() {
    }

    /**
     * Throws a {@link ConfigException} naming {@code key} and what it allows unless {@code value} passes
     * the validator {@code definition} declares for it; {@code null} is never valid.
     */
    public static void ensureValid(ConfigDef definition, String key, Object value) {
        ConfigDef.ConfigKey declared = definition.configKeys().get(key);
        if (declared == null) {
            throw new IllegalArgumentException("not declared: " + key);
        }
        if (value == null) {
            throw new ConfigException(key, null, "a value is required");
        }
        if (declared.validator != null) {
            declared.validator.ensureValid(key, value);
        }
    }
}
