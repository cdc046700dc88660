package io.leadmkt.schema.serde;

import org.apache.avro.util.ClassSecurityValidator;
import org.apache.avro.util.ClassSecurityValidator.ClassSecurityPredicate;

/**
 * Avro 1.12 refuses to instantiate SpecificRecord classes outside its trusted set (the system
 * properties are read once, at class load, so setting them later does nothing). Trust our
 * generated package in addition to whatever the JVM already trusts, once.
 */
public final class SpecificAvroTrust {
    private static final String OUR_PACKAGE = "io.leadmkt.schema.";
    private static boolean done;

    private SpecificAvroTrust() {
    }

    public static synchronized void ensureTrusted() {
        if (done) {
            return;
        }
        ClassSecurityPredicate current = ClassSecurityValidator.getGlobal();
        ClassSecurityValidator.setGlobal(ClassSecurityValidator.composite(current,
                type -> type.getName().startsWith(OUR_PACKAGE)));
        done = true;
    }
}
