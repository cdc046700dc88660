package io.leadmkt.launcher;

/** Test teardown: closes everything given, in order, even when one of them fails. */
final class Closing {
    private Closing() {
    }

    static void quietly(AutoCloseable... resources) {
        for (AutoCloseable resource : resources) {
            if (resource != null) {
                try {
                    resource.close();
                } catch (Exception e) {
                    // keep closing the rest
                }
            }
        }
    }
}
